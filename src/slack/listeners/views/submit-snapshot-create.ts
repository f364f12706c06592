// The "New snapshot" modal submitted: a bad name is shown on the field (the modal stays open);
// otherwise the modal closes, the snapshot starts, and the list it came from is redrawn (or DMed).
import type { App, ViewSubmitAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { INPUT, VIEW } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { postWorkMessage, updateWorkMessage } from "../../messages.js";
import { presentSnapshotList } from "../../presenters/snapshots.js";
import { escapeMrkdwn } from "../../views/limits.js";
import { decodeSnapshotModalOrigin, snapshotNameField } from "../../views/snapshot-modal.js";

export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(VIEW.snapshotCreate, async (args) => {
    const typed = args.view.state.values[INPUT.snapshotName.block]?.[INPUT.snapshotName.action]?.value ?? "";
    const name = snapshotNameField.safeParse(typed);
    if (!name.success) {
      await args.ack({ response_action: "errors", errors: { [INPUT.snapshotName.block]: name.error.issues[0]!.message } });
      return;
    }
    await args.ack();
    await runInteraction(deps, args, "slack_modal", async (ctx) => {
      const origin = decodeSnapshotModalOrigin(args.view.private_metadata);
      const vm = await deps.services.vms.getVmDetail(ctx, { id: origin.vm }, { audited: false });
      const created = await deps.services.snapshots.createSnapshot(ctx, vm.name, name.data);
      const notice = `:camera_with_flash: <@${ctx.actor.slackUserId}> started snapshot *${escapeMrkdwn(created.name)}*.`;
      const message = await presentSnapshotList(deps, ctx, { id: vm.id }, { audited: false, notice });
      const dm = () => postWorkMessage(args.client, undefined, ctx.actor.slackUserId, message);
      // The list may have been deleted while the modal was open: then the DM gets a fresh one.
      if (origin.channel && origin.ts) await updateWorkMessage(args.client, { channel: origin.channel, ts: origin.ts }, message).catch(dm);
      else await dm();
    });
  });
}
