// Round initials for people, a square robot for the bot, as Slack draws apps.
import { h } from "../dom.js";

const COLOURS = ["#e8912d", "#2eb67d", "#36c5f0", "#e01e5a", "#4a154b", "#1264a3", "#9d5bd2"];

/** @param {string} userId @param {string} name @param {boolean} isBot */
export function avatar(userId, name, isBot) {
  if (isBot) return h("div", { className: "avatar bot", "aria-hidden": "true" }, "🤖");
  const initials = name.split(/\s+/).map((word) => word[0] ?? "").join("").slice(0, 2).toUpperCase();
  const colour = COLOURS[[...userId].reduce((sum, char) => sum + char.charCodeAt(0), 0) % COLOURS.length];
  return h("div", { className: "avatar", style: `background:${colour}`, "aria-hidden": "true" }, initials);
}
