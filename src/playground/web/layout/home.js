// The App Home tab: the view the bot published for this user (it publishes on app_home_opened).
import { h } from "../dom.js";
import { renderBlocks } from "../blockkit/render-blocks.js";

/** @param {(view: import("../types.js").SlackView) => import("../types.js").SurfaceContext} contextFor */
export function createHomeView(contextFor) {
  const element = h("div", { className: "home" });
  let signature = "";
  return {
    element,
    /** @param {import("../types.js").SlackView | null} view */
    render(view) {
      const next = view ? `${view.id}:${view.hash}` : "";
      if (next === signature && element.childElementCount) return;
      signature = next;
      element.replaceChildren(view ? renderBlocks(view.blocks, contextFor(view)) : h("div", { className: "home-loading" }, "Opening the app's Home…"));
    },
    clear() {
      signature = "";
      element.replaceChildren();
    },
  };
}
