// Delete (after the button's confirm dialog): the channel is told, the clicker's list is redrawn on the
// same page.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction } from "../../interaction.js";
import { lookupTargetOf, postOutcome, redrawLookup } from "../../messages.js";
import { snapshotDeleted } from "../../presenters/snapshot-outcomes.js";
import { presentSnapshotList } from "../../presenters/snapshots.js";
import { escapeMrkdwn } from "../../views/limits.js";
import { snapshotListStateIn } from "../../views/snapshots.js";

const snapshotId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.snapshotDelete, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const deleted = await deps.services.snapshots.deleteSnapshot(ctx, snapshotId.parse(args.action.value));
      const notice = `:wastebasket: <@${ctx.actor.slackUserId}> is deleting *${escapeMrkdwn(deleted.name)}*.`;
      // An ephemeral list comes without its blocks: it then redraws from its first page.
      const offset = snapshotListStateIn(args.body.message?.blocks ?? [])?.o;
      const message = await presentSnapshotList(deps, ctx, { id: deleted.vmId }, { audited: false, offset, notice });
      await redrawLookup(args.client, lookupTargetOf(args.body), message);
      await postOutcome(args, channelOf(args.body), ctx.actor.slackUserId, snapshotDeleted(ctx, deleted.name, deleted.vmName));
    });
  });
}
