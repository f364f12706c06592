// Where a short reply goes: the interaction's response_url when there is one (ephemeral), else (or when
// it no longer works: they expire after 30 minutes and 5 uses) an ephemeral message in the channel,
// else the user's DM with the bot.
import type { InteractionArgs, SlackBody } from "./interaction.js";
import { channelOf, identityOf } from "./interaction.js";

export async function replyEphemeral(args: InteractionArgs, text: string): Promise<void> {
  const body = args.body as SlackBody;
  if (args.respond && body.response_url) {
    const sent = await args
      .respond({ response_type: "ephemeral", replace_original: false, text })
      .then(() => true)
      .catch(() => false);
    if (sent) return;
  }
  const { slackUserId } = identityOf(body);
  const channel = channelOf(body);
  if (channel) {
    await args.client.chat.postEphemeral({ channel, user: slackUserId, text });
    return;
  }
  await sendDirectMessage(args, slackUserId, { text });
}

export async function sendDirectMessage(
  args: Pick<InteractionArgs, "client">,
  slackUserId: string,
  message: { text: string; blocks?: unknown[] },
): Promise<{ channel: string; ts: string }> {
  const opened = await args.client.conversations.open({ users: slackUserId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error("Slack did not open a DM channel");
  const posted = await args.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never });
  return { channel, ts: posted.ts! };
}

/**
 * A message for one person's eyes: ephemeral in `channel` when there is one and the bot may post there,
 * else in their DM with the bot. Says where it went.
 */
export async function deliverPrivately(
  client: InteractionArgs["client"],
  to: { user: string; channel?: string },
  message: { text: string; blocks?: unknown[] },
): Promise<"ephemeral" | "dm"> {
  if (to.channel) {
    const sent = await client.chat
      .postEphemeral({ channel: to.channel, user: to.user, text: message.text, blocks: message.blocks as never })
      .then(() => true)
      .catch(() => false); // not in the channel, or an archived one: the DM still works
    if (sent) return "ephemeral";
  }
  await sendDirectMessage({ client }, to.user, message);
  return "dm";
}
