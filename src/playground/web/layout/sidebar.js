// The workspace sidebar: who you are (switch between the demo users), the app's Home, the channel,
// the DM with the bot, and the files the bot uploaded.
import { h } from "../dom.js";

/**
 * @typedef {{ kind: "conversation", id: string } | { kind: "home" } | { kind: "files" }} Place
 * @typedef {Object} SidebarDeps
 * @property {(place: Place) => void} go
 * @property {(userId: string) => void} switchUser
 */

/**
 * @param {import("../types.js").Snapshot} snapshot
 * @param {Place} place
 * @param {Set<string>} unread conversation ids with messages not seen yet
 * @param {boolean} live
 * @param {SidebarDeps} deps
 */
export function renderSidebar(snapshot, place, unread, live, deps) {
  const channels = snapshot.conversations.filter((conversation) => conversation.kind === "channel");
  const dm = snapshot.conversations.find((conversation) => conversation.kind === "dm");
  /** @param {Place} target @param {string} label @param {string} icon @param {boolean} [bold] */
  const link = (target, label, icon, bold = false) => {
    const current = target.kind === place.kind && (target.kind !== "conversation" || (place.kind === "conversation" && place.id === target.id));
    return h(
      "button",
      { type: "button", className: `nav-item${current ? " current" : ""}${bold ? " unread" : ""}`, "aria-current": current ? "page" : undefined, onclick: () => deps.go(target) },
      h("span", { className: "nav-icon" }, icon),
      h("span", { className: "nav-label" }, label),
      bold ? h("span", { className: "unread-dot", "aria-label": "new messages" }) : null,
    );
  };
  return h(
    "nav",
    { className: "sidebar-inner", "aria-label": "Workspace" },
    h("div", { className: "workspace-name" }, snapshot.team.name, h("span", { className: "workspace-sub" }, "local playground")),
    h(
      "div",
      { className: "user-switcher", role: "group", "aria-label": "Act as" },
      h("div", { className: "nav-heading" }, "Act as"),
      snapshot.people
        .filter((person) => person.switchable)
        .map((person) =>
          h(
            "button",
            { type: "button", className: `user-choice${person.id === snapshot.me.id ? " current" : ""}`, "aria-pressed": person.id === snapshot.me.id ? "true" : "false", dataset: { userId: person.id }, onclick: () => deps.switchUser(person.id) },
            h("span", { className: "user-name" }, person.name),
            h("span", { className: `role-badge ${person.demoRole}` }, person.demoRole),
          ),
        ),
    ),
    h("div", { className: "nav-heading" }, "Apps"),
    link({ kind: "home" }, `${snapshot.bot.name} · Home`, "🏠"),
    h("div", { className: "nav-heading" }, "Channels"),
    channels.map((channel) => link({ kind: "conversation", id: channel.id }, channel.name, "#", unread.has(channel.id))),
    h("div", { className: "nav-heading" }, "Direct messages"),
    dm ? link({ kind: "conversation", id: dm.id }, snapshot.bot.name, "🤖", unread.has(dm.id)) : h("div", { className: "nav-empty" }, `No DM with ${snapshot.bot.name} yet`),
    h("div", { className: "nav-heading" }, "Files"),
    link({ kind: "files" }, `Files (${snapshot.files.length})`, "📁"),
    h("div", { className: `connection ${live ? "live" : "down"}` }, live ? "● live" : "○ reconnecting…"),
  );
}
