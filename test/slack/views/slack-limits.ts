// Checks a rendered surface against Slack's Block Kit limits: every block, element, option and
// dialog, wherever it sits. Returns readable problems, so a failing test says what broke.
import { blockProblems } from "../../../src/playground/slack/blocks/block-validation.js";
import { viewProblems } from "../../../src/playground/slack/blocks/view-validation.js";

type Json = Record<string, unknown>;

const MAX = {
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  options: 100,
  optionText: 75,
  optionValue: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  inputLabel: 2000,
  hint: 2000,
  placeholder: 150,
  modalText: 24,
  privateMetadata: 3000,
  callbackId: 255,
  messageText: 40000,
};

const textOf = (value: unknown): string => ((value as { text?: string } | undefined)?.text ?? "");

function over(problems: string[], where: string, text: string, max: number) {
  if (text.length > max) problems.push(`${where}: ${text.length} characters > ${max}`);
}

function elementProblems(element: Json, where: string): string[] {
  const problems: string[] = [];
  const actionId = element.action_id as string | undefined;
  if (actionId !== undefined) over(problems, `${where} action_id`, actionId, MAX.actionId);
  if (element.type === "button") {
    over(problems, `${where} button text`, textOf(element.text), MAX.buttonText);
    if (typeof element.value === "string") over(problems, `${where} button value`, element.value, MAX.buttonValue);
  }
  if (element.placeholder) over(problems, `${where} placeholder`, textOf(element.placeholder), MAX.placeholder);
  const options = (element.options as Json[] | undefined) ?? [];
  if (options.length > MAX.options) problems.push(`${where}: ${options.length} options > ${MAX.options}`);
  for (const option of options) {
    over(problems, `${where} option text`, textOf(option.text), MAX.optionText);
    over(problems, `${where} option value`, String(option.value), MAX.optionValue);
  }
  if (element.type === "checkboxes" && options.length > 10) problems.push(`${where}: ${options.length} checkbox options > 10`);
  const values = new Set(options.map((option) => option.value));
  const initial = [...((element.initial_options as Json[] | undefined) ?? []), ...(element.initial_option ? [element.initial_option as Json] : [])];
  if (initial.length > MAX.options) problems.push(`${where}: ${initial.length} initial options > ${MAX.options}`);
  for (const chosen of initial) {
    over(problems, `${where} initial option text`, textOf(chosen.text), MAX.optionText);
    // External selects have no options of their own: their initial options stand alone.
    if (element.options && !values.has(chosen.value)) problems.push(`${where}: initial option "${String(chosen.value)}" is not one of the options`);
  }
  if (typeof element.max_length === "number" && typeof element.initial_value === "string") over(problems, `${where} initial_value`, element.initial_value, element.max_length);
  if (typeof element.max_selected_items === "number" && Array.isArray(element.initial_users) && element.initial_users.length > element.max_selected_items) {
    problems.push(`${where}: more initial users than max_selected_items`);
  }
  const confirm = element.confirm as Json | undefined;
  if (confirm) {
    over(problems, `${where} confirm title`, textOf(confirm.title), MAX.confirmTitle);
    over(problems, `${where} confirm text`, textOf(confirm.text), MAX.confirmText);
    over(problems, `${where} confirm button`, textOf(confirm.confirm), MAX.confirmButton);
    over(problems, `${where} deny button`, textOf(confirm.deny), MAX.confirmButton);
  }
  return problems;
}

export function blocksProblems(blocks: unknown[], maxBlocks: number): string[] {
  const problems = blockProblems(blocks, maxBlocks, "/blocks");
  blocks.forEach((raw, index) => {
    const block = raw as Json;
    const where = `block ${index} (${String(block.type)} ${String(block.block_id ?? "")})`;
    if (typeof block.block_id === "string") over(problems, `${where} block_id`, block.block_id, MAX.blockId);
    switch (block.type) {
      case "section": {
        over(problems, `${where} text`, textOf(block.text), MAX.sectionText);
        const fields = (block.fields as Json[] | undefined) ?? [];
        if (fields.length > MAX.fields) problems.push(`${where}: ${fields.length} fields`);
        for (const field of fields) over(problems, `${where} field`, textOf(field), MAX.fieldText);
        if (block.accessory) problems.push(...elementProblems(block.accessory as Json, where));
        break;
      }
      case "header":
        over(problems, `${where} text`, textOf(block.text), MAX.headerText);
        break;
      case "context": {
        const elements = (block.elements as Json[]) ?? [];
        if (elements.length > MAX.contextElements) problems.push(`${where}: ${elements.length} elements`);
        for (const element of elements) over(problems, `${where} element`, textOf(element), MAX.contextText);
        break;
      }
      case "actions": {
        const elements = (block.elements as Json[]) ?? [];
        if (elements.length > MAX.actionsElements) problems.push(`${where}: ${elements.length} elements`);
        const ids = elements.map((element) => element.action_id);
        if (new Set(ids).size !== ids.length) problems.push(`${where}: repeated action_id`);
        for (const element of elements) problems.push(...elementProblems(element, where));
        break;
      }
      case "input":
        over(problems, `${where} label`, textOf(block.label), MAX.inputLabel);
        if (block.hint) over(problems, `${where} hint`, textOf(block.hint), MAX.hint);
        problems.push(...elementProblems(block.element as Json, where));
        break;
    }
  });
  return problems;
}

export function messageProblems(message: { text: string; blocks: unknown[] }): string[] {
  const problems = blocksProblems(message.blocks, 50);
  over(problems, "message text", message.text, MAX.messageText);
  return problems;
}

export function modalProblems(view: Json): string[] {
  const problems = [...viewProblems(view, "modal"), ...blocksProblems(view.blocks as unknown[], 100)];
  for (const key of ["title", "submit", "close"]) if (view[key]) over(problems, key, textOf(view[key]), MAX.modalText);
  if (typeof view.private_metadata === "string") over(problems, "private_metadata", view.private_metadata, MAX.privateMetadata);
  if (typeof view.callback_id === "string") over(problems, "callback_id", view.callback_id, MAX.callbackId);
  return problems;
}

export function homeProblems(view: Json): string[] {
  return [...viewProblems(view, "home"), ...blocksProblems(view.blocks as unknown[], 100)];
}

/** Every interactive element of a surface, with the block it sits in. */
export function elementsIn(blocks: unknown[]): { blockId: string | undefined; element: Json }[] {
  return (blocks as Json[]).flatMap((block) => {
    const elements = block.type === "actions" ? ((block.elements as Json[]) ?? []) : block.accessory ? [block.accessory as Json] : block.element ? [block.element as Json] : [];
    return elements.map((element) => ({ blockId: block.block_id as string | undefined, element }));
  });
}

export function buttonsNamed(blocks: unknown[], actionId: string): Json[] {
  return elementsIn(blocks).map(({ element }) => element).filter((element) => element.action_id === actionId);
}

/** All visible text of a surface, to look for what must (not) be shown. */
export function allText(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}
