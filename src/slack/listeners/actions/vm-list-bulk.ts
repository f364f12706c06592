// Start / Stop / Reboot on the list's selection: the service authorizes and acts, the message then
// shows progress in place until every VM has settled.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { VmAction } from "../../../services/vm-actions.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { listStateOf } from "../../list-message.js";
import { messageRefOf, updateWorkMessage } from "../../messages.js";
import { followOperation } from "../../operation-follower.js";
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
        const ref = messageRefOf(args.body);
        await updateWorkMessage(args.client, ref, await presentVmList(deps, ctx, next, { audited: false }));
        followOperation(deps, args.client, request.operationId, ref, () => presentVmList(deps, ctx, next, { audited: false }));
      });
    });
  }
}
