// "New snapshot…": opens the name modal, prefilled with the VM's name and the time. The list message
// it came from rides along so the submission can redraw it.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { defaultSnapshotName } from "../../../services/snapshot-service.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { renderSnapshotCreateModal } from "../../views/snapshot-modal.js";

const vmId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.snapshotOpenCreate, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const vm = await deps.services.vms.getVmDetail(ctx, { id: vmId.parse(args.action.value) }, { audited: false });
      const channel = args.body.container?.channel_id as string | undefined;
      const ts = args.body.container?.message_ts as string | undefined;
      const view = renderSnapshotCreateModal({
        vm,
        defaultName: defaultSnapshotName(vm.name, new Date()),
        origin: { vm: vm.id, ...(channel && ts ? { channel, ts } : {}) },
      });
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    });
  });
}
