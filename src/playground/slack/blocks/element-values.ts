// How Slack reports an element's value: in state.values (per block/action) and in actions[] of
// block_actions. Each element type has its own field (selected_options, selected_user, value ...).
import { isJsonObject, type SlackElement, type SlackOption, type StateValue } from "../json-types.js";

/** What a simulated user enters: option values, option objects (external selects), ids, dates, text. */
export type UserInput = string | number | null | SlackOption | readonly string[] | readonly SlackOption[];

type ValueKind = "option" | "options" | "id" | "ids" | "text" | "number";

// field Slack uses, the kind of value, and the element property holding the initial value.
const STATEFUL_ELEMENTS: Readonly<Record<string, { field: string; kind: ValueKind; initial: string }>> = {
  checkboxes: { field: "selected_options", kind: "options", initial: "initial_options" },
  radio_buttons: { field: "selected_option", kind: "option", initial: "initial_option" },
  static_select: { field: "selected_option", kind: "option", initial: "initial_option" },
  external_select: { field: "selected_option", kind: "option", initial: "initial_option" },
  multi_static_select: { field: "selected_options", kind: "options", initial: "initial_options" },
  multi_external_select: { field: "selected_options", kind: "options", initial: "initial_options" },
  users_select: { field: "selected_user", kind: "id", initial: "initial_user" },
  multi_users_select: { field: "selected_users", kind: "ids", initial: "initial_users" },
  conversations_select: { field: "selected_conversation", kind: "id", initial: "initial_conversation" },
  multi_conversations_select: { field: "selected_conversations", kind: "ids", initial: "initial_conversations" },
  channels_select: { field: "selected_channel", kind: "id", initial: "initial_channel" },
  multi_channels_select: { field: "selected_channels", kind: "ids", initial: "initial_channels" },
  datepicker: { field: "selected_date", kind: "text", initial: "initial_date" },
  timepicker: { field: "selected_time", kind: "text", initial: "initial_time" },
  datetimepicker: { field: "selected_date_time", kind: "number", initial: "initial_date_time" },
  plain_text_input: { field: "value", kind: "text", initial: "initial_value" },
  email_text_input: { field: "value", kind: "text", initial: "initial_value" },
  url_text_input: { field: "value", kind: "text", initial: "initial_value" },
  number_input: { field: "value", kind: "text", initial: "initial_value" },
};

export function isStatefulElement(element: SlackElement): boolean {
  return element.type in STATEFUL_ELEMENTS;
}

/** The state.values entry of an element nobody touched yet: its initial_* value, or empty. */
export function initialStateValue(element: SlackElement): StateValue | undefined {
  const spec = STATEFUL_ELEMENTS[element.type];
  if (!spec) return undefined;
  const initial = element[spec.initial];
  const empty = spec.kind === "options" || spec.kind === "ids" ? [] : null;
  return { type: element.type, [spec.field]: initial === undefined ? empty : structuredClone(initial) };
}

/** Converts a simulated user's input into the element's state value, refusing values the element does not offer. */
export function stateValueFromInput(element: SlackElement, input: UserInput): StateValue {
  const spec = STATEFUL_ELEMENTS[element.type];
  if (!spec) throw new Error(`${element.type} "${String(element.action_id)}" holds no value`);
  return { type: element.type, [spec.field]: convert(element, spec.kind, input) };
}

/** The option an overflow menu reports (overflow holds no state, but its action carries selected_option). */
export function overflowOption(element: SlackElement, value: string): SlackOption {
  return pickOption(element, value);
}

function convert(element: SlackElement, kind: ValueKind, input: UserInput): unknown {
  const list = input === null ? [] : Array.isArray(input) ? input : [input];
  switch (kind) {
    case "option":
      return input === null ? null : toOption(element, single(element, input));
    case "options":
      return list.map((item) => toOption(element, item as string | SlackOption));
    case "id":
    case "text":
      return input === null ? null : String(single(element, input));
    case "ids":
      return list.map((item) => String(item));
    case "number":
      return input === null ? null : Number(single(element, input));
  }
}

function single(element: SlackElement, input: UserInput): string | number | SlackOption {
  if (Array.isArray(input)) throw new Error(`${element.type} "${String(element.action_id)}" takes one value, got a list`);
  return input as string | number | SlackOption;
}

function toOption(element: SlackElement, input: string | number | SlackOption): SlackOption {
  const external = element.type === "external_select" || element.type === "multi_external_select";
  if (typeof input === "object") return structuredClone(input);
  // External selects offer whatever the app's options handler returned, so any value is plausible.
  if (external) return { text: { type: "plain_text", text: String(input) }, value: String(input) };
  return pickOption(element, String(input));
}

function pickOption(element: SlackElement, value: string): SlackOption {
  const option = optionsOf(element).find((candidate) => candidate.value === value);
  if (!option) throw new Error(`${element.type} "${String(element.action_id)}" has no option with value "${value}" (offers: ${optionsOf(element).map((o) => o.value).join(", ")})`);
  return structuredClone(option);
}

export function optionsOf(element: SlackElement): SlackOption[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups) ? element.option_groups.flatMap((group) => (isJsonObject(group) && Array.isArray(group.options) ? group.options : [])) : [];
  return [...direct, ...grouped].filter((option): option is SlackOption => isJsonObject(option) && typeof option.value === "string");
}

/** True when the state value has nothing chosen or typed (Slack's client blocks such a required input). */
export function isEmptyStateValue(value: StateValue | undefined): boolean {
  if (!value) return true;
  return Object.entries(value).every(([key, field]) => key === "type" || field === null || field === "" || (Array.isArray(field) && field.length === 0));
}
