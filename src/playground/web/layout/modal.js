// The open modal: the top view of the user's stack (with a back arrow when views are stacked), its
// field errors, and Close / Submit as Slack lays them out.
import { h } from "../dom.js";
import { renderBlocks } from "../blockkit/render-blocks.js";
import { plainText } from "../blockkit/text-objects.js";

/**
 * @typedef {Object} ModalDeps
 * @property {(view: import("../types.js").SlackView, errors: Record<string, string>) => import("../types.js").SurfaceContext} contextFor
 * @property {(view: import("../types.js").SlackView, values: Record<string, string | null>) => Promise<void>} submit
 * @property {(view: import("../types.js").SlackView) => Promise<void>} close
 */

/** @param {HTMLElement} layer @param {ModalDeps} deps */
export function createModalLayer(layer, deps) {
  let signature = "";
  return {
    /**
     * @param {import("../types.js").SlackView[]} stack root first
     * @param {(viewId: string) => Record<string, string>} errorsFor
     */
    render(stack, errorsFor) {
      const view = stack.at(-1);
      const errors = view ? errorsFor(view.id) : {};
      // Redraw only when the bot changed the view (new hash) or errors came back: typing must survive refreshes.
      const next = view ? JSON.stringify([view.id, view.hash, stack.length, errors]) : "";
      if (next === signature) return;
      signature = next;
      layer.replaceChildren(view ? renderModal(view, stack.length, errors, deps) : "");
    },
    clear() {
      signature = "";
      layer.replaceChildren();
    },
  };
}

/**
 * @param {import("../types.js").SlackView} view
 * @param {number} depth
 * @param {Record<string, string>} errors
 * @param {ModalDeps} deps
 */
function renderModal(view, depth, errors, deps) {
  const title = plainText(view.title) || "App";
  let busy = false;
  const submitButton = view.submit ? h("button", { type: "button", className: "bk-button primary", dataset: { modalSubmit: "" } }, plainText(view.submit)) : null;
  const dialog = h(
    "div",
    { className: "dialog modal", role: "dialog", "aria-modal": "true", "aria-label": title, dataset: { viewId: view.id, callbackId: view.callback_id } },
    h(
      "div",
      { className: "modal-header" },
      depth > 1 ? h("button", { type: "button", className: "modal-back", "aria-label": "Back", onclick: () => void deps.close(view) }, "←") : null,
      h("span", { className: "modal-app" }, "🤖"),
      h("span", { className: "dialog-title" }, title),
      h("button", { type: "button", className: "modal-x", "aria-label": "Close", onclick: () => void deps.close(view) }, "✕"),
    ),
    h("div", { className: "modal-body" }, renderBlocks(view.blocks, deps.contextFor(view, errors))),
    h("div", { className: "dialog-footer" }, h("button", { type: "button", className: "bk-button", onclick: () => void deps.close(view) }, plainText(view.close) || "Cancel"), submitButton),
  );
  submitButton?.addEventListener("click", async () => {
    if (busy) return;
    busy = true;
    submitButton.disabled = true;
    try {
      await deps.submit(view, typedValues(dialog));
    } finally {
      busy = false;
      submitButton.disabled = false;
    }
  });
  return h("div", { className: "overlay modal-overlay" }, dialog);
}

/**
 * Text fields as they are now, in case the last one typed into never lost focus (its change not sent).
 * @param {HTMLElement} dialog
 */
function typedValues(dialog) {
  /** @type {Record<string, string | null>} */
  const values = {};
  for (const field of dialog.querySelectorAll("[data-text-input]")) {
    const input = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (field);
    const { blockId, actionId, elementType } = input.dataset;
    if (!blockId || !actionId) continue;
    const isPicker = elementType === "datepicker" || elementType === "timepicker";
    values[`${blockId}::${actionId}`] = isPicker && input.value === "" ? null : input.value;
  }
  return values;
}
