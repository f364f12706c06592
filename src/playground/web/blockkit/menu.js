// A popup list under an anchor (overflow menus, select dropdowns). It floats over the page (fixed
// position, so a modal's scrolling body does not clip it) and opens upwards when there is no room
// below. A click elsewhere, Escape, or scrolling its anchor out of sight closes it.
import { h } from "../dom.js";

/**
 * @typedef {Object} MenuItem
 * @property {string} label
 * @property {string} [description]
 * @property {boolean} [selected]
 * @property {boolean} [header] A group title, not choosable.
 * @property {() => void} [choose]
 */

/**
 * @param {HTMLElement} anchor
 * @returns {{ show(items: MenuItem[], note?: string): void, close(): void, readonly open: boolean }}
 */
export function attachMenu(anchor) {
  /** @type {HTMLElement | undefined} */
  let panel;
  /** @param {Event} event */
  const onOutside = (event) => {
    if (panel && !panel.contains(/** @type {Node} */ (event.target)) && !anchor.contains(/** @type {Node} */ (event.target))) close();
  };
  /** @param {KeyboardEvent} event */
  const onKey = (event) => {
    if (event.key === "Escape") close();
  };
  /** @param {Event} event */
  const onScroll = (event) => {
    if (!panel || panel.contains(/** @type {Node} */ (event.target))) return;
    // The conversation scrolls itself when a message arrives: follow the anchor, close once it is out of sight.
    const field = anchor.getBoundingClientRect();
    if (field.bottom < 0 || field.top > window.innerHeight) close();
    else place(panel, anchor);
  };
  function close() {
    panel?.remove();
    panel = undefined;
    document.removeEventListener("mousedown", onOutside, true);
    document.removeEventListener("keydown", onKey, true);
    document.removeEventListener("scroll", onScroll, true);
  }
  return {
    get open() {
      return panel !== undefined;
    },
    show(items, note) {
      const next = h(
        "div",
        { className: "bk-menu", role: "listbox" },
        note ? h("div", { className: "bk-menu-note" }, note) : null,
        items.map((item) =>
          item.header
            ? h("div", { className: "bk-menu-header" }, item.label)
            : h(
                "div",
                {
                  className: `bk-menu-item${item.selected ? " selected" : ""}`,
                  role: "option",
                  "aria-selected": item.selected ? "true" : "false",
                  // mousedown, not click: the search box must not lose the choice to its blur.
                  onmousedown: (/** @type {MouseEvent} */ event) => {
                    event.preventDefault();
                    item.choose?.();
                  },
                },
                h("span", { className: "bk-menu-label" }, item.label),
                item.description ? h("span", { className: "bk-menu-description" }, item.description) : null,
              ),
        ),
      );
      if (panel) panel.replaceWith(next);
      else {
        document.addEventListener("mousedown", onOutside, true);
        document.addEventListener("keydown", onKey, true);
        document.addEventListener("scroll", onScroll, true);
        anchor.append(next);
      }
      panel = next;
      place(next, anchor);
    },
    close,
  };
}

/** @param {HTMLElement} panel @param {HTMLElement} anchor */
function place(panel, anchor) {
  const field = anchor.getBoundingClientRect();
  const margin = 4;
  const roomBelow = window.innerHeight - field.bottom - margin;
  const upwards = panel.offsetHeight > roomBelow && field.top > roomBelow;
  panel.style.minWidth = `${Math.max(field.width, 180)}px`;
  panel.style.left = `${Math.min(field.left, window.innerWidth - Math.max(field.width, 180) - margin)}px`;
  panel.style.top = upwards ? "" : `${field.bottom + margin}px`;
  panel.style.bottom = upwards ? `${window.innerHeight - field.top + margin}px` : "";
}
