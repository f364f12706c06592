// Remove (after the button's confirm dialog naming the VM), from a status card or the confirmation
// `/vm remove` answers with: the clicker's card is replaced by the outcome, and the channel is told.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction } from "../../interaction.js";
import { lookupTargetOf, postOutcome, redrawLookup } from "../../messages.js";
import { renderVmRemoved } from "../../views/vm-remove.js";

const vmId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.vmRemove, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const removed = await deps.services.vms.removeVm(ctx, { id: vmId.parse(args.action.value) });
      const outcome = renderVmRemoved(removed, ctx.actor.slackUserId);
      await redrawLookup(args.client, lookupTargetOf(args.body), outcome); // the card of a VM no longer in the inventory
      await postOutcome(args, channelOf(args.body), ctx.actor.slackUserId, outcome);
    });
  });
}
