// Block Kit text objects: plain_text (emoji shortcodes on by default) or mrkdwn.
import { h } from "../dom.js";
import { replaceEmoji } from "./emoji.js";
import { renderMrkdwn } from "./mrkdwn.js";

/**
 * @param {import("../types.js").TextObject | undefined | null} text
 * @param {(userId: string) => string | undefined} nameOf
 * @returns {Node}
 */
export function renderText(text, nameOf) {
  if (!text) return document.createTextNode("");
  if (text.type === "mrkdwn") return h("span", { className: "mrkdwn" }, renderMrkdwn(text.text, nameOf));
  return document.createTextNode(plainText(text));
}

/**
 * A text object as a plain string (labels, button captions, options).
 * @param {import("../types.js").TextObject | undefined | null} text
 */
export function plainText(text) {
  if (!text) return "";
  return text.type === "plain_text" && text.emoji === false ? text.text : replaceEmoji(text.text);
}
