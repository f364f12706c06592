// Start / Stop / Reboot on the list's selection: the service authorizes and acts; the outcome is posted
// in the channel and shows the progress there, while the clicker's own list is redrawn with the
// selection cleared (and once more when the action settled).
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { VmAction } from "../../../services/vm-actions.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction } from "../../interaction.js";
import { listStateOf } from "../../list-message.js";
import { lookupTargetOf, redrawLookup } from "../../messages.js";
import { announceOperation } from "../../operation-follower.js";
import { presentVmList } from "../../presenters/vm-list.js";

const BUTTONS: [string, VmAction][] = [
  [ACTION.bulkStart, "start"],
  [ACTION.bulkStop, "stop"],
  [ACTION.bulkReboot, "reboot"],
];

export function register(app: App, deps: SlackDeps): void {
  for (const [actionId, action] of BUTTONS) {
    app.action<BlockAction<ButtonAction>>(actionId, async (args) => {
      await args.ack();
      await runInteraction(deps, args, "slack_button", async (ctx) => {
        const state = listStateOf(args.body);
        const request = await deps.services.vmActions.requestVmAction(ctx, action, { ids: state.sel });
        const next = { ...state, sel: [], op: request.operationId };
        const list = lookupTargetOf(args.body);
        const redraw = async () => redrawLookup(args.client, list, await presentVmList(deps, ctx, next, { audited: false }));
        await redraw();
        await announceOperation(deps, args, ctx, request.operationId, channelOf(args.body), redraw);
      });
    });
  }
}
