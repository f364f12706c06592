// Block Kit JSON to DOM for any surface (message, modal, App Home): pure functions of the blocks and
// the surface's context; interactions go out through ctx.act / ctx.suggest.
import { h } from "../dom.js";
import { BLOCK_RENDERERS } from "./blocks.js";

/**
 * @param {import("../types.js").Block[]} blocks
 * @param {import("../types.js").SurfaceContext} ctx
 */
export function renderBlocks(blocks, ctx) {
  return h(
    "div",
    { className: "bk-blocks" },
    blocks.map((block) => {
      const render = BLOCK_RENDERERS[block.type];
      const rendered = render ? render(block, ctx) : h("div", { className: "bk-unsupported" }, `[${block.type} block]`);
      rendered.classList.add("bk-block");
      if (block.block_id) rendered.dataset.blockId = block.block_id;
      return rendered;
    }),
  );
}

export { renderText, plainText } from "./text-objects.js";
export { renderMrkdwn } from "./mrkdwn.js";
