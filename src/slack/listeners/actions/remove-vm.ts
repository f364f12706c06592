// Remove (after the button's confirm dialog naming the VM), from a status card or the confirmation
// `/vm remove` answers with: the message clicked is replaced by the outcome.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { replyEphemeral } from "../../replies.js";
import { removedText } from "../../views/vm-remove.js";

const vmId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.vmRemove, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const removed = await deps.services.vms.removeVm(ctx, { id: vmId.parse(args.action.value) });
      const text = removedText(removed, ctx.actor.slackUserId);
      const replaced = await args
        .respond({ replace_original: true, text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] })
        .then(() => true)
        .catch(() => false);
      if (!replaced) await replyEphemeral(args, text);
    });
  });
}
