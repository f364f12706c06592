// The blocks that lay a surface out: header, section (text, fields, accessory), context, divider,
// actions, input, image and a plain rendering of rich_text.
import { h } from "../dom.js";
import { renderElement, renderImageElement } from "./elements.js";
import { plainText, renderText } from "./text-objects.js";

/** @typedef {import("../types.js").Block} Block */
/** @typedef {import("../types.js").SurfaceContext} SurfaceContext */

/** @type {Readonly<Record<string, (block: Block, ctx: SurfaceContext) => HTMLElement>>} */
export const BLOCK_RENDERERS = {
  header: (block) => h("div", { className: "bk-header" }, plainText(block.text)),
  divider: () => h("hr", { className: "bk-divider" }),
  section: renderSection,
  context: (block, ctx) =>
    h(
      "div",
      { className: "bk-context" },
      (block.elements ?? []).map((/** @type {any} */ element) => (element.type === "image" ? renderImageElement(element) : h("span", { className: "bk-context-text" }, renderText(element, ctx.nameOf)))),
    ),
  actions: (block, ctx) => h("div", { className: "bk-actions" }, (block.elements ?? []).map((/** @type {any} */ element) => renderElement(element, block, ctx))),
  input: renderInput,
  image: (block, ctx) =>
    h(
      "figure",
      { className: "bk-image" },
      block.title ? h("figcaption", {}, renderText(block.title, ctx.nameOf)) : null,
      renderImageElement({ type: "image", image_url: block.image_url, alt_text: block.alt_text }),
    ),
  rich_text: (block) => h("div", { className: "bk-rich-text" }, richTextOf(block)),
};

/** @param {Block} block @param {SurfaceContext} ctx */
function renderSection(block, ctx) {
  const fields = Array.isArray(block.fields) && block.fields.length ? h("div", { className: "bk-fields" }, block.fields.map((/** @type {any} */ field) => h("div", { className: "bk-field" }, renderText(field, ctx.nameOf)))) : null;
  return h(
    "div",
    { className: "bk-section" },
    h("div", { className: "bk-section-body" }, block.text ? h("div", { className: "bk-section-text" }, renderText(block.text, ctx.nameOf)) : null, fields),
    block.accessory ? h("div", { className: "bk-accessory" }, renderElement(block.accessory, block, ctx)) : null,
  );
}

/** @param {Block} block @param {SurfaceContext} ctx */
function renderInput(block, ctx) {
  const error = block.block_id ? ctx.errors[block.block_id] : undefined;
  return h(
    "div",
    { className: `bk-input${error ? " has-error" : ""}`, dataset: { blockId: block.block_id ?? "" } },
    h("label", { className: "bk-input-label" }, plainText(block.label), block.optional ? h("span", { className: "bk-optional" }, " (optional)") : null),
    block.element ? renderElement(block.element, block, ctx) : null,
    block.hint ? h("div", { className: "bk-hint" }, plainText(block.hint)) : null,
    error ? h("div", { className: "bk-error", role: "alert" }, error) : null,
  );
}

/** rich_text flattened to its words (the bot sends mrkdwn; this only keeps odd messages legible). @param {Block} block */
function richTextOf(block) {
  /** @param {any} node @returns {string} */
  const textOf = (node) => (typeof node?.text === "string" ? node.text : Array.isArray(node?.elements) ? node.elements.map(textOf).join("") : node?.type === "user" ? `@${node.user_id}` : "");
  return textOf(block);
}
