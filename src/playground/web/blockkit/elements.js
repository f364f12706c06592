// One interactive or display element, by type.
import { h } from "../dom.js";
import { renderButton, renderOverflow } from "./buttons.js";
import { renderChoices } from "./choices.js";
import { isSelect, renderSelect } from "./selects.js";
import { isTextInput, renderTextInput } from "./text-inputs.js";

/**
 * @param {import("../types.js").BlockElement} element
 * @param {import("../types.js").Block} block
 * @param {import("../types.js").SurfaceContext} ctx
 * @returns {HTMLElement}
 */
export function renderElement(element, block, ctx) {
  if (element.type === "button") return renderButton(element, block, ctx);
  if (element.type === "overflow") return renderOverflow(element, block, ctx);
  if (element.type === "checkboxes" || element.type === "radio_buttons") return renderChoices(element, block, ctx);
  if (element.type === "image") return renderImageElement(element);
  if (isSelect(element.type)) return renderSelect(element, block, ctx);
  if (isTextInput(element.type)) return renderTextInput(element, block, ctx);
  return h("span", { className: "bk-unsupported" }, `[${element.type} is not shown in the playground]`);
}

/**
 * No internet here, often: the alt text stands in when the image cannot load.
 * @param {import("../types.js").BlockElement} element
 */
export function renderImageElement(element) {
  const alt = String(element.alt_text ?? "");
  const image = h("img", { className: "bk-image-element", src: String(element.image_url ?? ""), alt, title: alt });
  image.addEventListener("error", () => image.replaceWith(h("span", { className: "bk-image-missing", title: alt }, "🖼")));
  return image;
}
