// Redraws only what changed: each entry keeps its DOM while its signature stays the same, so a menu
// left open or a box just ticked survives the refresh another message's update causes.

/**
 * @template T
 * @param {HTMLElement} container
 */
export function createKeyedList(container) {
  /** @type {Map<string, { signature: string, node: HTMLElement }>} */
  let rendered = new Map();
  return {
    /**
     * @param {T[]} items
     * @param {(item: T) => string} keyOf
     * @param {(item: T) => string} signatureOf
     * @param {(item: T) => HTMLElement} render
     */
    update(items, keyOf, signatureOf, render) {
      /** @type {Map<string, { signature: string, node: HTMLElement }>} */
      const next = new Map();
      const nodes = items.map((item) => {
        const key = keyOf(item);
        const signature = signatureOf(item);
        const previous = rendered.get(key);
        const entry = previous && previous.signature === signature ? previous : { signature, node: render(item) };
        next.set(key, entry);
        return entry.node;
      });
      // Move nodes into place without detaching the unchanged ones (detaching would drop focus).
      nodes.forEach((node, index) => {
        if (container.children[index] !== node) container.insertBefore(node, container.children[index] ?? null);
      });
      while (container.children.length > nodes.length) container.lastElementChild?.remove();
      rendered = next;
    },
    /** Forget everything (another user's eyes: their inputs differ). */
    clear() {
      rendered = new Map();
      container.replaceChildren();
    },
  };
}
