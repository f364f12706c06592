// A popup list under an anchor (overflow menus, select dropdowns). One open at a time; a click
// elsewhere or Escape closes it.
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
  function close() {
    panel?.remove();
    panel = undefined;
    document.removeEventListener("mousedown", onOutside, true);
    document.removeEventListener("keydown", onKey, true);
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
        anchor.append(next);
      }
      panel = next;
      // Near the bottom of its pane (the composer is there), the menu opens upwards, as Slack's do.
      const pane = anchor.closest(".main-body, .modal-body")?.getBoundingClientRect();
      if (pane && next.getBoundingClientRect().bottom > pane.bottom && anchor.getBoundingClientRect().top - pane.top > next.offsetHeight) next.classList.add("above");
    },
    close,
  };
}
