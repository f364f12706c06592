// Delete (after the button's confirm dialog), then redraw the list on the same page.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { messageRefOf, updateWorkMessage } from "../../messages.js";
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
      const offset = snapshotListStateIn(args.body.message?.blocks ?? [])?.o;
      const message = await presentSnapshotList(deps, ctx, { id: deleted.vmId }, { audited: false, offset, notice });
      await updateWorkMessage(args.client, messageRefOf(args.body), message);
    });
  });
}
