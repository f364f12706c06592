// Ticking a VM's checkbox: the selection on this page becomes what is ticked, the rest is kept. The
// selection lives in the ticker's own list (see list-message.ts), so nobody else's changes.
import type { App, BlockAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { listStateOf } from "../../list-message.js";
import { lookupTargetOf, redrawLookup } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";
import { MAX_SELECTION } from "../../views/vm-list-state.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(ACTION.vmSelect, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const state = listStateOf(args.body);
      const notice = state.sel.length > MAX_SELECTION ? `:warning: At most ${MAX_SELECTION} VMs can be selected at once.` : undefined;
      const message = await presentVmList(deps, ctx, { ...state, sel: state.sel.slice(0, MAX_SELECTION) }, { audited: false, notice });
      await redrawLookup(args.client, lookupTargetOf(args.body), message);
    });
  });
}
