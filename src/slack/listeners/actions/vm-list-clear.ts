import type { App, BlockAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { listStateOf } from "../../list-message.js";
import { lookupTargetOf, redrawLookup } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(ACTION.clearSelection, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const message = await presentVmList(deps, ctx, { ...listStateOf(args.body), sel: [] }, { audited: false });
      await redrawLookup(args.client, lookupTargetOf(args.body), message);
    });
  });
}
