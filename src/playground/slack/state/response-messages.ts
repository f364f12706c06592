// Applies a message sent to a response_url (or returned in a slash command's ack) the way Slack does:
// delete_original / replace_original act on the source message; otherwise a new message is posted,
// ephemeral to the interacting user unless response_type is "in_channel".
import { SlackApiError } from "../api/slack-api-error.js";
import { asBoolean, asString, type JsonObject } from "../json-types.js";
import { messageContentOf, withText } from "./message-content.js";
import type { MessageOrigin } from "./conversation-store.js";
import type { ResponseUrlContext } from "./response-url-registry.js";
import type { WorkspaceState } from "./workspace-state.js";

export interface AppliedResponse {
  /** The message a later replace_original/delete_original would act on. */
  source: ResponseUrlContext["source"];
}

export function applyResponseMessage(state: WorkspaceState, context: ResponseUrlContext, body: JsonObject, origin: MessageOrigin): AppliedResponse {
  const { source } = context;
  if (asBoolean(body.delete_original)) {
    if (!source || !sourceExists(state, context)) throw new SlackApiError("message_not_found");
    if (source.ephemeral) state.deleteEphemeral(context.channelId, source.ts, context.userId);
    else state.deleteMessage(context.channelId, source.ts);
    return { source: undefined };
  }

  const content = withText(messageContentOf(body, { requireContent: true }));
  if (asBoolean(body.replace_original) && source) {
    if (!sourceExists(state, context)) throw new SlackApiError("message_not_found");
    if (source.ephemeral) state.replaceEphemeral(context.channelId, source.ts, content);
    else state.replaceMessage(context.channelId, source.ts, content, false);
    return { source };
  }

  const threadTs = asString(body.thread_ts);
  const thread = threadTs ? { thread_ts: threadTs } : {};
  if (body.response_type === "in_channel") {
    const message = state.postBotMessage(context.channelId, content, { ...thread, origin });
    return { source: source ?? { ts: message.ts, ephemeral: false } };
  }
  const ephemeral = state.postEphemeral(context.channelId, context.userId, content, { ...thread, origin });
  return { source: source ?? { ts: ephemeral.ts, ephemeral: true } };
}

function sourceExists(state: WorkspaceState, context: ResponseUrlContext): boolean {
  const { source } = context;
  if (!source) return false;
  return source.ephemeral
    ? state.conversations.findEphemeral(context.channelId, source.ts, context.userId) !== undefined
    : state.conversations.find(context.channelId, source.ts) !== undefined;
}
