// Slack's mrkdwn to DOM: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, <links|text>,
// <@U…> mentions, <#C…|channel>, <!here>, <!date^…|fallback> and :emoji:. Text is never parsed as HTML.
import { fragment, h } from "../dom.js";
import { replaceEmoji } from "./emoji.js";
import { formatSlackDate } from "./slack-dates.js";

/** @typedef {(userId: string) => string | undefined} NameOf */

// Formatting marks count only at word edges ("vm_start_x" is not italic), as in Slack.
const INLINE =
  /```([\s\S]+?)```|`([^`\n]+)`|<([^<>\n]+)>|(?<![\p{L}\p{N}*])\*(?!\s)([^*\n]+?)\*(?![\p{L}\p{N}*])|(?<![\p{L}\p{N}_])_(?!\s)([^_\n]+?)_(?![\p{L}\p{N}_])|(?<![\p{L}\p{N}~])~(?!\s)([^~\n]+?)~(?![\p{L}\p{N}~])/gu;

/**
 * @param {string} text
 * @param {NameOf} nameOf
 * @returns {DocumentFragment}
 */
export function renderMrkdwn(text, nameOf) {
  const result = fragment();
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = /** @type {string} */ (lines[index]);
    if (line.startsWith("```")) {
      // A fenced block runs to the line that closes it.
      const end = lines.findIndex((candidate, at) => at >= index && candidate.endsWith("```") && (at > index || candidate.length > 3));
      if (end >= 0) {
        const body = lines.slice(index, end + 1).join("\n").replace(/^```\n?/, "").replace(/\n?```$/, "");
        result.append(h("pre", { className: "mrkdwn-pre" }, decodeEntities(body)));
        index = end;
        continue;
      }
    }
    if (line.startsWith(">") || line.startsWith("&gt;")) {
      result.append(h("blockquote", { className: "mrkdwn-quote" }, inline(line.replace(/^(>|&gt;)\s?/, ""), nameOf)));
      continue;
    }
    result.append(inline(line, nameOf));
    if (index < lines.length - 1) result.append(h("br"));
  }
  return result;
}

/**
 * @param {string} text
 * @param {NameOf} nameOf
 * @returns {DocumentFragment}
 */
function inline(text, nameOf) {
  const result = fragment();
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const at = match.index ?? 0;
    if (at > last) result.append(plain(text.slice(last, at)));
    const [, fenced, code, angle, bold, italic, strike] = match;
    if (fenced !== undefined) result.append(h("pre", { className: "mrkdwn-pre" }, decodeEntities(fenced)));
    else if (code !== undefined) result.append(h("code", { className: "mrkdwn-code" }, decodeEntities(code)));
    else if (angle !== undefined) result.append(entity(angle, nameOf));
    else if (bold !== undefined) result.append(h("b", {}, inline(bold, nameOf)));
    else if (italic !== undefined) result.append(h("i", {}, inline(italic, nameOf)));
    else if (strike !== undefined) result.append(h("s", {}, inline(strike, nameOf)));
    last = at + match[0].length;
  }
  if (last < text.length) result.append(plain(text.slice(last)));
  return result;
}

/**
 * What Slack writes between < and >.
 * @param {string} body
 * @param {NameOf} nameOf
 * @returns {Node}
 */
function entity(body, nameOf) {
  const [target = "", label] = splitLabel(body);
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return h("span", { className: "mention", title: id }, `@${nameOf(id) ?? label ?? id}`);
  }
  if (target.startsWith("#")) return h("span", { className: "mention" }, `#${label ?? target.slice(1)}`);
  if (target.startsWith("!date^")) {
    const [, seconds = "", format = "", link] = target.split("^");
    const shown = Number.isFinite(Number(seconds)) ? formatSlackDate(Number(seconds), format) : label ?? "";
    return link ? safeLink(link, shown) : h("span", { className: "slack-date", title: label ?? "" }, shown);
  }
  if (target.startsWith("!subteam^")) return h("span", { className: "mention" }, label ?? "@team");
  if (target.startsWith("!")) return h("span", { className: "mention" }, `@${target.slice(1)}`);
  return safeLink(target, label ?? target);
}

/** @param {string} body @returns {[string, string | undefined]} */
function splitLabel(body) {
  const bar = body.indexOf("|");
  return bar < 0 ? [body, undefined] : [body.slice(0, bar), decodeEntities(body.slice(bar + 1))];
}

/** @param {string} url @param {string} label */
function safeLink(url, label) {
  const href = decodeEntities(url);
  // Only web and mail links: a bot's text must not run script in the page.
  if (!/^(https?:|mailto:)/i.test(href)) return document.createTextNode(replaceEmoji(label));
  return h("a", { href, target: "_blank", rel: "noopener noreferrer" }, replaceEmoji(label));
}

/** @param {string} text */
function plain(text) {
  return document.createTextNode(replaceEmoji(decodeEntities(text)));
}

/** Slack escapes exactly these three in message text. @param {string} text */
export function decodeEntities(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
