// chat.postMessage, chat.update, chat.postEphemeral, chat.delete, chat.getPermalink.
import { SlackApiError } from "../api/slack-api-error.js";
import { toSlackMessage } from "../state/conversation-store.js";
import { messageContentOf, withText } from "../state/message-content.js";
import { stringArg } from "./method-args.js";
import type { MethodTable } from "./method-types.js";

export const chatMethods: MethodTable = {
  "chat.postMessage": ({ args, state }) => {
    const channel = state.resolveChannel(stringArg(args, "channel") ?? "");
    const content = withText(messageContentOf(args, { requireContent: true }));
    const threadTs = stringArg(args, "thread_ts");
    const message = state.postBotMessage(channel.id, content, { ...(threadTs ? { thread_ts: threadTs } : {}), origin: "chat.postMessage" });
    return { ok: true, channel: channel.id, ts: message.ts, message: toSlackMessage(message) };
  },

  "chat.update": ({ args, state }) => {
    const channel = state.resolveChannel(stringArg(args, "channel") ?? "");
    const ts = stringArg(args, "ts") ?? "";
    const existing = state.conversations.find(channel.id, ts);
    if (!existing) throw new SlackApiError("message_not_found");
    if (existing.user !== state.identity.botUserId) throw new SlackApiError("cant_update_message");
    // Fields left out keep their previous value, as Slack documents for chat.update.
    const message = state.replaceMessage(channel.id, ts, messageContentOf(args, { requireContent: false }), true);
    return { ok: true, channel: channel.id, ts, text: message.text, message: toSlackMessage(message) };
  },

  "chat.postEphemeral": ({ args, state }) => {
    const channel = state.resolveChannel(stringArg(args, "channel") ?? "");
    const userId = stringArg(args, "user") ?? "";
    if (!state.users.get(userId)) throw new SlackApiError("user_not_in_channel");
    const content = withText(messageContentOf(args, { requireContent: true }));
    const threadTs = stringArg(args, "thread_ts");
    const message = state.postEphemeral(channel.id, userId, content, { ...(threadTs ? { thread_ts: threadTs } : {}), origin: "chat.postEphemeral" });
    return { ok: true, message_ts: message.ts };
  },

  "chat.delete": ({ args, state }) => {
    const channel = state.resolveChannel(stringArg(args, "channel") ?? "");
    const ts = stringArg(args, "ts") ?? "";
    const existing = state.conversations.find(channel.id, ts);
    if (!existing) throw new SlackApiError("message_not_found");
    if (existing.user !== state.identity.botUserId) throw new SlackApiError("cant_delete_message");
    state.deleteMessage(channel.id, ts);
    return { ok: true, channel: channel.id, ts };
  },

  "chat.getPermalink": ({ args, state }) => {
    const channel = state.resolveChannel(stringArg(args, "channel") ?? "");
    const ts = stringArg(args, "message_ts") ?? "";
    const message = state.conversations.find(channel.id, ts);
    if (!message) throw new SlackApiError("message_not_found");
    const base = `https://${state.identity.teamDomain}.slack.com/archives/${channel.id}/p${ts.replace(".", "")}`;
    const thread = message.thread_ts && message.thread_ts !== ts ? `?thread_ts=${message.thread_ts}&cid=${channel.id}` : "";
    return { ok: true, channel: channel.id, permalink: `${base}${thread}` };
  },
};
