// The message box. Only slash commands reach a bot, so that is what it sends; ↑ recalls earlier ones.
import { h } from "../dom.js";

/**
 * @param {{ send: (text: string) => Promise<boolean>, hint: (message: string) => void }} deps
 */
export function createComposer(deps) {
  /** @type {string[]} */
  const history = [];
  let recalled = -1;
  const input = h("textarea", { className: "composer-input", rows: 1, placeholder: "/vm help", "aria-label": "Message", spellcheck: false });
  const sendButton = h("button", { type: "button", className: "composer-send", "aria-label": "Send" }, "➤");
  const element = h("form", { className: "composer", onsubmit: (/** @type {Event} */ event) => { event.preventDefault(); void submit(); } }, input, sendButton);

  async function submit() {
    const text = input.value.trim();
    if (!text) return;
    if (!text.startsWith("/")) {
      deps.hint("Only slash commands reach the bot here. Try /vm help.");
      return;
    }
    history.unshift(text);
    recalled = -1;
    input.value = "";
    if (!(await deps.send(text))) input.value = text;
  }

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void submit();
    } else if (event.key === "ArrowUp" && (input.value === "" || recalled >= 0) && history.length) {
      event.preventDefault();
      recalled = Math.min(recalled + 1, history.length - 1);
      input.value = history[recalled] ?? "";
    } else if (event.key === "ArrowDown" && recalled >= 0) {
      event.preventDefault();
      recalled -= 1;
      input.value = recalled >= 0 ? (history[recalled] ?? "") : "";
    }
  });
  sendButton.addEventListener("click", () => void submit());

  return {
    element,
    /** @param {string} label e.g. "Message #vm-ops" */
    setTarget(label) {
      input.setAttribute("aria-label", label);
    },
  };
}
