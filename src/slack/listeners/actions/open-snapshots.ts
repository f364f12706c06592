// The Snapshots button of a status card turns the clicker's card into the VM's snapshot list, in place;
// the list's own paging and Refresh buttons redraw it in place too. Every one of them is a fresh,
// audited look.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { lookupTargetOf, redrawLookup } from "../../messages.js";
import { presentSnapshotList } from "../../presenters/snapshots.js";
import { decodeSnapshotListState } from "../../views/snapshots.js";

const vmId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.vmOpenSnapshots, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const message = await presentSnapshotList(deps, ctx, { id: vmId.parse(args.action.value) }, { audited: true });
      await redrawLookup(args.client, lookupTargetOf(args.body), message);
    });
  });

  for (const action of [ACTION.snapshotPrevious, ACTION.snapshotNext, ACTION.snapshotRefresh]) {
    app.action<BlockAction<ButtonAction>>(action, async (args) => {
      await args.ack();
      await runInteraction(deps, args, "slack_button", async (ctx) => {
        const state = decodeSnapshotListState(args.action.value);
        const message = await presentSnapshotList(deps, ctx, { id: state.vm }, { audited: true, offset: state.o });
        await redrawLookup(args.client, lookupTargetOf(args.body), message);
      });
    });
  }
}
