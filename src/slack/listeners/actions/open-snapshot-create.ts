// "New snapshot…": opens the name modal, prefilled with the VM's name and the time. The list it came
// from rides along so the submission can redraw it.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { defaultSnapshotName } from "../../../services/snapshot-service.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { lookupTargetOf } from "../../messages.js";
import { renderSnapshotCreateModal } from "../../views/snapshot-modal.js";

const vmId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.snapshotOpenCreate, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const vm = await deps.services.vms.getVmDetail(ctx, { id: vmId.parse(args.action.value) }, { audited: false });
      const view = renderSnapshotCreateModal({
        vm,
        defaultName: defaultSnapshotName(vm.name, new Date()),
        origin: { vm: vm.id, list: lookupTargetOf(args.body) },
      });
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    });
  });
}
