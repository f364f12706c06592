// text / blocks / attachments of a message, read from chat.* arguments or a response_url body,
// with the checks Slack applies before it accepts a message.
import { asString, isJsonObject, type JsonObject, type SlackBlock } from "../json-types.js";
import { SlackApiError } from "../api/slack-api-error.js";
import { blockProblems, MAX_MESSAGE_BLOCKS } from "../blocks/block-validation.js";
import type { MessageContent } from "./conversation-store.js";

export function messageContentOf(args: JsonObject, options: { requireContent: boolean }): Partial<MessageContent> {
  const content: Partial<MessageContent> = {};
  const text = asString(args.text);
  if (text !== undefined) content.text = text;
  if (args.blocks !== undefined) {
    const problems = blockProblems(args.blocks, MAX_MESSAGE_BLOCKS, "/blocks");
    if (problems.length > 0) throw new SlackApiError("invalid_blocks", problems);
    content.blocks = args.blocks as SlackBlock[];
  }
  if (args.attachments !== undefined) {
    if (!Array.isArray(args.attachments) || !args.attachments.every(isJsonObject)) throw new SlackApiError("invalid_attachments");
    content.attachments = args.attachments as JsonObject[];
  }
  const empty = (content.text ?? "") === "" && (content.blocks?.length ?? 0) === 0 && (content.attachments?.length ?? 0) === 0;
  if (options.requireContent && empty) throw new SlackApiError("no_text");
  return content;
}

export function withText(content: Partial<MessageContent>): MessageContent {
  return { ...content, text: content.text ?? "" };
}
