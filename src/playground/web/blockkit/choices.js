// Checkboxes and radio buttons: every change is reported (Slack dispatches it outside input blocks).
import { h } from "../dom.js";
import { currentState, elementData } from "./element-state.js";
import { plainText, renderText } from "./text-objects.js";

/**
 * @param {import("../types.js").BlockElement} element
 * @param {import("../types.js").Block} block
 * @param {import("../types.js").SurfaceContext} ctx
 */
export function renderChoices(element, block, ctx) {
  const multiple = element.type === "checkboxes";
  const state = currentState(ctx, block, element);
  /** @type {string[]} */
  const checked = (multiple ? state.selected_options ?? [] : state.selected_option ? [state.selected_option] : []).map((/** @type {{ value: string }} */ option) => option.value);
  const name = `${block.block_id}:${element.action_id}:${Math.random().toString(36).slice(2)}`;
  /** @type {import("../types.js").SlackOption[]} */
  const options = element.options ?? [];
  const root = h("div", { className: `bk-choices ${element.type}`, dataset: elementData(block, element) });

  const report = async (/** @type {HTMLInputElement} */ input) => {
    if (element.confirm && !(await ctx.confirm(element.confirm))) {
      input.checked = !input.checked;
      return;
    }
    const boxes = [...root.querySelectorAll("input")];
    const values = boxes.filter((box) => box.checked).map((box) => box.value);
    ctx.act({ kind: "input", actionId: element.action_id ?? "", blockId: block.block_id, value: multiple ? values : (values[0] ?? null) });
  };

  for (const option of options) {
    const input = h("input", { type: multiple ? "checkbox" : "radio", name, value: option.value, checked: checked.includes(option.value), "aria-label": plainText(option.text) });
    input.addEventListener("change", () => void report(input));
    root.append(
      h(
        "label",
        { className: "bk-choice" },
        input,
        h("span", { className: "bk-choice-text" }, renderText(option.text, ctx.nameOf), option.description ? h("span", { className: "bk-choice-description" }, renderText(option.description, ctx.nameOf)) : null),
      ),
    );
  }
  return root;
}
