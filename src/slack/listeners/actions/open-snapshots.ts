// The Snapshots button of a status card posts the VM's snapshot list; the list's own paging and
// Refresh buttons redraw it in place. Every one of them is a fresh, audited look.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction } from "../../interaction.js";
import { messageRefOf, postWorkMessage, updateWorkMessage } from "../../messages.js";
import { presentSnapshotList } from "../../presenters/snapshots.js";
import { replyEphemeral } from "../../replies.js";
import { decodeSnapshotListState } from "../../views/snapshots.js";

const vmId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.vmOpenSnapshots, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const message = await presentSnapshotList(deps, ctx, { id: vmId.parse(args.action.value) }, { audited: true });
      const posted = await postWorkMessage(args.client, channelOf(args.body), ctx.actor.slackUserId, message);
      if (posted.movedToDm) await replyEphemeral(args, "I can't post here, so I sent the snapshot list to our DM.");
    });
  });

  for (const action of [ACTION.snapshotPrevious, ACTION.snapshotNext, ACTION.snapshotRefresh]) {
    app.action<BlockAction<ButtonAction>>(action, async (args) => {
      await args.ack();
      await runInteraction(deps, args, "slack_button", async (ctx) => {
        const state = decodeSnapshotListState(args.action.value);
        const message = await presentSnapshotList(deps, ctx, { id: state.vm }, { audited: true, offset: state.o });
        await updateWorkMessage(args.client, messageRefOf(args.body), message);
      });
    });
  }
}
