// Posting and updating the bot's working messages (lists, status cards, progress).
import type { WebClient } from "@slack/web-api";
import type { SlackMessage } from "./views/vm-list.js";

export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * Posts in the channel the user typed in. Where the bot cannot post (a private channel or DM it is
 * not part of) the message goes to the user's DM with the bot instead, and `movedToDm` says so.
 */
export async function postWorkMessage(
  client: WebClient,
  channel: string | undefined,
  slackUserId: string,
  message: SlackMessage,
): Promise<MessageRef & { movedToDm: boolean }> {
  if (channel) {
    try {
      const posted = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
      return { channel: posted.channel ?? channel, ts: posted.ts!, movedToDm: false };
    } catch (error) {
      if (!cannotPostThere(error)) throw error;
    }
  }
  const opened = await client.conversations.open({ users: slackUserId });
  const dm = opened.channel!.id!;
  const posted = await client.chat.postMessage({ channel: dm, text: message.text, blocks: message.blocks });
  return { channel: dm, ts: posted.ts!, movedToDm: true };
}

/** Slack's answers meaning "the bot may not post in that channel" (as opposed to a real failure). */
export function cannotPostThere(error: unknown): boolean {
  const code = (error as { data?: { error?: string } }).data?.error ?? "";
  return ["not_in_channel", "channel_not_found", "is_archived", "restricted_action"].includes(code);
}

export async function updateWorkMessage(client: WebClient, ref: MessageRef, message: SlackMessage): Promise<void> {
  await client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks });
}

/** The message a block action came from. */
export function messageRefOf(body: { container?: { channel_id?: string; message_ts?: string }; channel?: { id?: string }; message?: { ts?: string } }): MessageRef {
  const channel = body.container?.channel_id ?? body.channel?.id;
  const ts = body.container?.message_ts ?? body.message?.ts;
  if (!channel || !ts) throw new Error("block action without a message container");
  return { channel, ts };
}
