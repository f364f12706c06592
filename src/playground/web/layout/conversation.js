// A channel or the DM with the bot: its messages (each user's own ephemerals among them), kept in place
// across refreshes, and scrolled to the newest unless the reader scrolled up.
import { h } from "../dom.js";
import { createKeyedList } from "./keyed-list.js";
import { renderMessage } from "./message.js";

/**
 * @typedef {Object} ConversationDeps
 * @property {(item: import("../types.js").TimelineItem, conversation: import("../types.js").ConversationSnapshot) => import("../types.js").SurfaceContext} contextFor
 */

/** @param {ConversationDeps} deps */
export function createConversationView(deps) {
  const list = h("div", { className: "message-list", role: "log", "aria-live": "polite" });
  const intro = h("div", { className: "conversation-intro" });
  const element = h("div", { className: "conversation" }, intro, list);
  /** @type {ReturnType<typeof createKeyedList<import("../types.js").TimelineItem>>} */
  const keyed = createKeyedList(list);
  let shownId = "";

  return {
    element,
    /**
     * @param {import("../types.js").ConversationSnapshot} conversation
     * @param {import("../types.js").Snapshot} snapshot
     */
    render(conversation, snapshot) {
      const scroller = element.parentElement;
      const switched = shownId !== conversation.id;
      const atBottom = !scroller || switched || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
      shownId = conversation.id;
      intro.replaceChildren(
        conversation.kind === "dm"
          ? h("p", {}, "This is your direct message with ", h("b", {}, snapshot.bot.name), ". Slash commands work here too.")
          : h("p", {}, "This is the very beginning of ", h("b", {}, `#${conversation.name}`), ". Type ", h("code", {}, "/vm help"), " below to start."),
      );
      const nameOf = (/** @type {string} */ id) => snapshot.people.find((person) => person.id === id)?.name ?? (id === snapshot.bot.id ? snapshot.bot.name : undefined);
      const who = { botId: snapshot.bot.id, botName: snapshot.bot.name, nameOf };
      keyed.update(
        conversation.items,
        (item) => `${item.kind}:${item.ts}`,
        (item) => JSON.stringify([item.text, item.blocks, item.attachments, item.files, item.edited]),
        (item) => renderMessage(item, who, deps.contextFor(item, conversation)),
      );
      if (scroller && atBottom) scroller.scrollTop = scroller.scrollHeight;
    },
    /** Another user is looking now: nothing of the previous user's inputs may stay on screen. */
    clear() {
      keyed.clear();
      shownId = "";
    },
  };
}
