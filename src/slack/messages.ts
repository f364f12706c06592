// Where the bot's answers go and how they are redrawn: the one place that decides.
// - Lookups (lists, status cards, snapshot lists, audit pages, help) belong to whoever asked: ephemeral
//   where they asked, through the interaction's response_url, or in their DM with the bot when asked
//   from App Home (no channel). A click on an ephemeral redraws it through that click's own fresh
//   response_url (ephemerals cannot be changed with chat.update); a message in the DM with chat.update.
// - The outcome of an action belongs to the channel: one message posted there and updated in place.
// A response_url that no longer works (30 minutes, 5 uses) falls back to chat.postEphemeral, else the
// DM: the user's answer is never lost.
import type { WebClient } from "@slack/web-api";
import { postToResponseUrl } from "./response-url.js";
import type { InteractionArgs } from "./interaction.js";
import type { LookupTarget } from "./lookup-target.js";
import { deliverPrivately, replyEphemeral } from "./replies.js";
import type { SlackMessage } from "./views/vm-list.js";

export interface MessageRef {
  channel: string;
  ts: string;
}

export type { LookupTarget };

/** What a block action tells about the message it came from. */
export interface ActionBody {
  response_url?: string;
  user?: { id?: string } | string;
  container?: { channel_id?: string; message_ts?: string; is_ephemeral?: boolean };
  channel?: { id?: string };
  message?: { ts?: string };
}

export function lookupTargetOf(body: ActionBody): LookupTarget {
  const user = typeof body.user === "object" ? body.user?.id : body.user;
  const channel = body.container?.channel_id ?? body.channel?.id;
  if (!user || !channel) throw new Error("block action without a user or a message container");
  if (body.container?.is_ephemeral && body.response_url) return { kind: "ephemeral", responseUrl: body.response_url, channel, user };
  const ts = body.container?.message_ts ?? body.message?.ts;
  if (!ts) throw new Error("block action without a message container");
  return { kind: "message", channel, ts, user };
}

/**
 * Answers a lookup to the asker alone: ephemeral through `responseUrl` in `channel`, or (from App Home,
 * no channel) in their DM. Says where it went.
 */
export async function answerLookup(
  client: WebClient,
  asker: { user: string; channel?: string; responseUrl?: string },
  message: SlackMessage,
): Promise<"ephemeral" | "dm"> {
  if (asker.channel && asker.responseUrl && (await postToResponseUrl(asker.responseUrl, { response_type: "ephemeral", replace_original: false, ...message }))) {
    return "ephemeral";
  }
  return deliverPrivately(client, { user: asker.user, channel: asker.channel }, message);
}

/** Redraws a lookup in place; when that is no longer possible, sends it afresh to the same person. */
export async function redrawLookup(client: WebClient, target: LookupTarget, message: SlackMessage): Promise<void> {
  if (target.kind === "ephemeral") {
    if (await postToResponseUrl(target.responseUrl, { replace_original: true, ...message })) return;
    await deliverPrivately(client, { user: target.user, channel: target.channel }, message);
    return;
  }
  try {
    await updateWorkMessage(client, target, message);
  } catch {
    // The message is gone (deleted while a modal was open, say): the answer goes to the DM.
    await deliverPrivately(client, { user: target.user }, message);
  }
}

/**
 * Posts the outcome of an action in the channel it was asked in. Where the bot cannot post (a private
 * channel or DM it is not part of) the message goes to the user's DM instead, and `movedToDm` says so.
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

/** The outcome of an action, for the channel it was asked in; the user is told when it went to the DM instead. */
export async function postOutcome(args: InteractionArgs, channel: string | undefined, slackUserId: string, message: SlackMessage): Promise<MessageRef> {
  const posted = await postWorkMessage(args.client, channel, slackUserId, message);
  if (posted.movedToDm && channel) await replyEphemeral(args, "I can't post in this channel, so what you did is in our DM.");
  return { channel: posted.channel, ts: posted.ts };
}

/** Slack's answers meaning "the bot may not post in that channel" (as opposed to a real failure). */
export function cannotPostThere(error: unknown): boolean {
  const code = (error as { data?: { error?: string } }).data?.error ?? "";
  return ["not_in_channel", "channel_not_found", "is_archived", "restricted_action"].includes(code);
}

export async function updateWorkMessage(client: WebClient, ref: MessageRef, message: SlackMessage): Promise<void> {
  await client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks });
}

