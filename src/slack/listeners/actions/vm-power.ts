// Start / Stop / Reboot on a status card (value = VM id): the outcome is posted in the channel with its
// progress; the clicker's card is redrawn now and once more when the action settled.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { getProgressFor, type OperationProgress } from "../../../services/operation-service.js";
import type { VmAction } from "../../../services/vm-actions.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction } from "../../interaction.js";
import { lookupTargetOf, redrawLookup } from "../../messages.js";
import { announceOperation } from "../../operation-follower.js";
import { presentVmStatus } from "../../presenters/vm-status.js";

const BUTTONS: [string, VmAction][] = [
  [ACTION.vmStart, "start"],
  [ACTION.vmStop, "stop"],
  [ACTION.vmReboot, "reboot"],
];

export function register(app: App, deps: SlackDeps): void {
  for (const [actionId, action] of BUTTONS) {
    app.action<BlockAction<ButtonAction>>(actionId, async (args) => {
      await args.ack();
      await runInteraction(deps, args, "slack_button", async (ctx) => {
        const vmId = Number(args.action.value);
        const request = await deps.services.vmActions.requestVmAction(ctx, action, { ids: [vmId] });
        const card = lookupTargetOf(args.body);
        // Read once for this user; the card, the channel message and the tracker start from it, and the
        // card is drawn again from the tracker's final progress.
        const progress = await getProgressFor(deps.services, ctx, request.operationId);
        const redraw = async (operation: OperationProgress) =>
          redrawLookup(args.client, card, await presentVmStatus(deps, ctx, { id: vmId }, { audited: false, operation }));
        await redraw(progress);
        await announceOperation(deps, args, ctx, request.operationId, channelOf(args.body), redraw, progress);
      });
    });
  }
}
