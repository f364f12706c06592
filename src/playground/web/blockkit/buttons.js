// Buttons (primary / danger styles, url, confirm dialogs) and overflow menus.
import { h } from "../dom.js";
import { elementData } from "./element-state.js";
import { attachMenu } from "./menu.js";
import { plainText } from "./text-objects.js";

/**
 * @param {import("../types.js").BlockElement} element
 * @param {import("../types.js").Block} block
 * @param {import("../types.js").SurfaceContext} ctx
 */
export function renderButton(element, block, ctx) {
  const style = element.style === "primary" || element.style === "danger" ? ` ${element.style}` : "";
  return h(
    "button",
    {
      type: "button",
      className: `bk-button${style}`,
      dataset: elementData(block, element),
      onclick: async () => {
        // Slack sends nothing when the confirm dialog is cancelled.
        if (element.confirm && !(await ctx.confirm(element.confirm))) return;
        if (typeof element.url === "string" && /^https?:/i.test(element.url)) window.open(element.url, "_blank", "noopener");
        ctx.act({ kind: "click", actionId: element.action_id ?? "", blockId: block.block_id });
      },
    },
    plainText(element.text),
  );
}

/**
 * @param {import("../types.js").BlockElement} element
 * @param {import("../types.js").Block} block
 * @param {import("../types.js").SurfaceContext} ctx
 */
export function renderOverflow(element, block, ctx) {
  const button = h("button", { type: "button", className: "bk-button bk-overflow-button", "aria-label": "More actions" }, "⋯");
  const wrapper = h("span", { className: "bk-overflow", dataset: elementData(block, element) }, button);
  const menu = attachMenu(wrapper);
  /** @type {import("../types.js").SlackOption[]} */
  const options = element.options ?? [];
  button.addEventListener("click", () => {
    if (menu.open) return menu.close();
    menu.show(
      options.map((option) => ({
        label: plainText(option.text),
        choose: async () => {
          menu.close();
          if (element.confirm && !(await ctx.confirm(element.confirm))) return;
          if (typeof option.url === "string" && /^https?:/i.test(option.url)) window.open(option.url, "_blank", "noopener");
          ctx.act({ kind: "input", actionId: element.action_id ?? "", blockId: block.block_id, value: option.value });
        },
      })),
    );
  });
  return wrapper;
}
