// Start / Stop / Reboot on a status card (value = VM id); the card then shows progress in place.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { VmAction } from "../../../services/vm-actions.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { messageRefOf, updateWorkMessage } from "../../messages.js";
import { followOperation } from "../../operation-follower.js";
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
        const ref = messageRefOf(args.body);
        const render = () => presentVmStatus(deps, ctx, { id: vmId }, { audited: false, operationId: request.operationId });
        await updateWorkMessage(args.client, ref, await render());
        followOperation(deps, args.client, request.operationId, ref, render);
      });
    });
  }
}
