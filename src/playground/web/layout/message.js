// One message in a conversation: who, when, "Only visible to you" for ephemerals, then its blocks
// (or its text when it has none), legacy attachments and shared files.
import { h } from "../dom.js";
import { renderBlocks } from "../blockkit/render-blocks.js";
import { renderMrkdwn } from "../blockkit/mrkdwn.js";
import { avatar } from "./avatar.js";

/**
 * @param {import("../types.js").TimelineItem} item
 * @param {{ botId: string, botName: string, nameOf: (userId: string) => string | undefined }} who
 * @param {import("../types.js").SurfaceContext} ctx
 */
export function renderMessage(item, who, ctx) {
  const isBot = item.user === who.botId;
  const name = isBot ? who.botName : (who.nameOf(item.user) ?? item.user);
  const time = new Date(Number(item.ts) * 1000).toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit" });
  return h(
    "article",
    { className: `message${item.kind === "ephemeral" ? " ephemeral" : ""}`, dataset: { ts: item.ts, kind: item.kind } },
    avatar(item.user, name, isBot),
    h(
      "div",
      { className: "message-main" },
      item.kind === "ephemeral" ? h("div", { className: "ephemeral-note" }, "👁 Only visible to you") : null,
      h(
        "div",
        { className: "message-meta" },
        h("span", { className: "message-author" }, name),
        isBot ? h("span", { className: "app-badge" }, "APP") : null,
        h("time", { className: "message-time", title: item.ts }, time),
        item.edited ? h("span", { className: "message-edited" }, "(edited)") : null,
        item.threadTs && item.threadTs !== item.ts ? h("span", { className: "message-thread" }, "in thread") : null,
      ),
      item.blocks.length ? renderBlocks(item.blocks, ctx) : h("div", { className: "message-text" }, renderMrkdwn(item.text, ctx.nameOf)),
      item.attachments.map((attachment) => renderAttachment(attachment, ctx)),
      item.files.map(renderFile),
    ),
  );
}

/**
 * @param {Record<string, any>} attachment
 * @param {import("../types.js").SurfaceContext} ctx
 */
function renderAttachment(attachment, ctx) {
  const colour = typeof attachment.color === "string" ? (attachment.color.startsWith("#") ? attachment.color : `#${attachment.color}`) : "#ddd";
  return h(
    "div",
    { className: "attachment", style: `border-left-color:${colour}` },
    Array.isArray(attachment.blocks) ? renderBlocks(attachment.blocks, ctx) : h("div", {}, renderMrkdwn(String(attachment.text ?? attachment.fallback ?? ""), ctx.nameOf)),
  );
}

/** @param {import("../types.js").FileSnapshot} file */
export function renderFile(file) {
  return h(
    "a",
    { className: "file-card", href: file.downloadUrl, download: file.name, dataset: { fileId: file.id } },
    h("span", { className: "file-icon" }, file.mimetype.includes("csv") ? "📊" : "📄"),
    h("span", { className: "file-info" }, h("span", { className: "file-title" }, file.title || file.name), h("span", { className: "file-size" }, `${file.name} · ${formatSize(file.size)} · Download`)),
  );
}

/** @param {number} bytes */
function formatSize(bytes) {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
