// "Share in channel" on a list or a status card: a copy of what the sharer sees, without checkboxes
// or buttons, posted in the channel for everyone ("shared by @them"). Their own copy stays as it was.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction, type InteractionArgs } from "../../interaction.js";
import { listStateOf } from "../../list-message.js";
import { cannotPostThere } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";
import { presentVmStatus } from "../../presenters/vm-status.js";
import { replyEphemeral } from "../../replies.js";
import type { SlackMessage } from "../../views/vm-list.js";

const vmId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.shareList, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const state = { ...listStateOf(args.body), sel: [] };
      await share(args, await presentVmList(deps, ctx, state, { audited: true, sharedBy: ctx.actor.slackUserId }));
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.vmShare, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const id = vmId.parse(args.action.value);
      await share(args, await presentVmStatus(deps, ctx, { id }, { audited: true, sharedBy: ctx.actor.slackUserId }));
    });
  });
}

/** Shares where the button was; a channel the bot cannot post in is said so (a DM copy would share nothing). */
async function share(args: InteractionArgs & { client: WebClient }, message: SlackMessage): Promise<void> {
  const channel = channelOf(args.body as never);
  if (!channel) throw new Error("share without a channel");
  try {
    await args.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
  } catch (error) {
    if (!cannotPostThere(error)) throw error;
    await replyEphemeral(args, ":no_entry: I can't post in this channel. Invite me (`/invite`) to share here.");
  }
}
