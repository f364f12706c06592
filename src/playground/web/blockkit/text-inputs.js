// Typed values: plain_text_input (single or multiline), email/url/number inputs, date and time pickers.
// A value is reported when the field is left (change), as Slack keeps it in the view until submit.
import { h } from "../dom.js";
import { currentState, elementData } from "./element-state.js";
import { plainText } from "./text-objects.js";

/** @type {Readonly<Record<string, { input: string, field: string }>>} */
const FIELDS = {
  plain_text_input: { input: "text", field: "value" },
  email_text_input: { input: "email", field: "value" },
  url_text_input: { input: "url", field: "value" },
  number_input: { input: "number", field: "value" },
  datepicker: { input: "date", field: "selected_date" },
  timepicker: { input: "time", field: "selected_time" },
};

/** @param {string} type */
export function isTextInput(type) {
  return type in FIELDS;
}

/**
 * @param {import("../types.js").BlockElement} element
 * @param {import("../types.js").Block} block
 * @param {import("../types.js").SurfaceContext} ctx
 */
export function renderTextInput(element, block, ctx) {
  const spec = FIELDS[element.type] ?? { input: "text", field: "value" };
  const value = currentState(ctx, block, element)[spec.field] ?? "";
  const placeholder = plainText(element.placeholder);
  const common = {
    className: "bk-text-input",
    placeholder,
    "aria-label": placeholder || element.action_id,
    dataset: { ...elementData(block, element), textInput: "" },
    ...(typeof element.max_length === "number" ? { maxlength: String(element.max_length) } : {}),
  };
  const field = element.multiline ? h("textarea", { ...common, rows: 4 }) : h("input", { ...common, type: spec.input });
  field.value = String(value);
  field.addEventListener("change", () => {
    const typed = field.value;
    const empty = typed === "" && (element.type === "datepicker" || element.type === "timepicker");
    ctx.act({ kind: "input", actionId: element.action_id ?? "", blockId: block.block_id, value: empty ? null : typed });
  });
  return field;
}
