// The "New snapshot" modal submitted: a bad name is shown on the field (the modal stays open);
// otherwise the modal closes, the snapshot starts, the channel the list is in is told, and the list it
// came from is redrawn for the user (or sent to their DM).
import type { App, ViewSubmitAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { INPUT, VIEW } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { ownLookupTarget } from "../../lookup-target.js";
import { answerLookup, postOutcome, redrawLookup } from "../../messages.js";
import { snapshotTaken } from "../../presenters/snapshot-outcomes.js";
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
      const decoded = decodeSnapshotModalOrigin(args.view.private_metadata);
      const origin = { ...decoded, list: ownLookupTarget(decoded.list, ctx.actor.slackUserId) };
      const vm = await deps.services.vms.getVmDetail(ctx, { id: origin.vm }, { audited: false });
      const created = await deps.services.snapshots.createSnapshot(ctx, vm.name, name.data);
      const notice = `:camera_with_flash: <@${ctx.actor.slackUserId}> started snapshot *${escapeMrkdwn(created.name)}*.`;
      const message = await presentSnapshotList(deps, ctx, { id: vm.id }, { audited: false, notice });
      if (origin.list) await redrawLookup(args.client, origin.list, message);
      else await answerLookup(args.client, { user: ctx.actor.slackUserId }, message);
      await postOutcome(args, origin.list?.channel, ctx.actor.slackUserId, snapshotTaken(ctx, created.name, vm.name));
    });
  });
}
