// Slack's confirm dialog (for elements with `confirm`) and short notices at the corner of the page.
import { h } from "../dom.js";
import { plainText, renderText } from "../blockkit/text-objects.js";

/**
 * Resolves true when the user presses the confirm button.
 * @param {HTMLElement} layer
 * @param {import("../types.js").ConfirmObject} confirm
 * @param {(userId: string) => string | undefined} nameOf
 * @returns {Promise<boolean>}
 */
export function askToConfirm(layer, confirm, nameOf) {
  return new Promise((resolve) => {
    /** @param {boolean} answer */
    const finish = (answer) => {
      overlay.remove();
      document.removeEventListener("keydown", onKey, true);
      resolve(answer);
    };
    /** @param {KeyboardEvent} event */
    const onKey = (event) => {
      if (event.key === "Escape") finish(false);
    };
    const title = plainText(confirm.title) || "Are you sure?";
    const confirmButton = h("button", { type: "button", className: `bk-button ${confirm.style === "danger" ? "danger" : "primary"}`, onclick: () => finish(true) }, plainText(confirm.confirm) || "Yes");
    const overlay = h(
      "div",
      { className: "overlay confirm-overlay", onmousedown: (/** @type {MouseEvent} */ event) => event.target === overlay && finish(false) },
      h(
        "div",
        { className: "dialog confirm-dialog", role: "alertdialog", "aria-modal": "true", "aria-label": title },
        h("div", { className: "dialog-title" }, title),
        h("div", { className: "dialog-body" }, renderText(confirm.text, nameOf)),
        h("div", { className: "dialog-footer" }, h("button", { type: "button", className: "bk-button", onclick: () => finish(false) }, plainText(confirm.deny) || "Cancel"), confirmButton),
      ),
    );
    document.addEventListener("keydown", onKey, true);
    layer.append(overlay);
    confirmButton.focus();
  });
}

/**
 * @param {HTMLElement} layer
 * @param {string} message
 * @param {"error" | "info"} [kind]
 */
export function showToast(layer, message, kind = "info") {
  const toast = h("div", { className: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, message, h("button", { type: "button", className: "toast-close", "aria-label": "Dismiss", onclick: () => toast.remove() }, "×"));
  layer.append(toast);
  setTimeout(() => toast.remove(), kind === "error" ? 10_000 : 5_000);
}
