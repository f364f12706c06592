// The typeahead holds the whole selection as chips: what it holds after a change is the selection.
import type { App, BlockAction, MultiExternalSelectAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { listStateOf } from "../../list-message.js";
import { lookupTargetOf, redrawLookup } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";
import { MAX_SELECTION } from "../../views/vm-list-state.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<MultiExternalSelectAction>>(ACTION.vmPick, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const state = listStateOf(args.body);
      const message = await presentVmList(deps, ctx, { ...state, sel: state.sel.slice(0, MAX_SELECTION) }, { audited: false });
      await redrawLookup(args.client, lookupTargetOf(args.body), message);
    });
  });
}
