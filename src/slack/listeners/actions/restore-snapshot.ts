// Restore (after the button's confirm dialog): runs in the background after the ack and redraws the
// snapshot list at each step: stopping → restoring → starting → done, or the failure. A refusal
// before anything changed (role, snapshot not available) is told to the clicker alone.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { RequestContext } from "../../../services/actor.js";
import type { RestoreProgress } from "../../../services/snapshot-service.js";
import { throttled } from "../../background.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction, type InteractionArgs } from "../../interaction.js";
import { messageRefOf, updateWorkMessage, type MessageRef } from "../../messages.js";
import { loadSnapshotList } from "../../presenters/snapshots.js";
import { replyEphemeral } from "../../replies.js";
import { userMessageFor } from "../../user-messages.js";
import { renderSnapshotList, snapshotListStateIn, type RestoreView } from "../../views/snapshots.js";
import type { SlackMessage } from "../../views/vm-list.js";

const snapshotId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.snapshotRestore, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const id = snapshotId.parse(args.action.value);
      const target = messageRefOf(args.body);
      const offset = snapshotListStateIn(args.body.message?.blocks ?? [])?.o ?? 0;
      deps.background.run(`restore snapshot ${id}`, () => followRestore(deps, args, ctx, { id, target, offset }));
    });
  });
}

async function followRestore(deps: SlackDeps, args: InteractionArgs, ctx: RequestContext, job: { id: number; target: MessageRef; offset: number }) {
  const updates = throttled<SlackMessage>(deps.progressIntervalMs, async (message) => {
    await updateWorkMessage(args.client, job.target, message).catch((error) => deps.logger.warn({ err: error, snapshotId: job.id }, "could not update the snapshot list"));
  });
  let restore: (RestoreView & { vmName: string }) | undefined;
  // Each step redraws the list from the database (unaudited): statuses move while the restore runs.
  const show = async () => {
    if (!restore) return;
    const list = await loadSnapshotList(deps, ctx, { name: restore.vmName }, { audited: false });
    void updates.push(renderSnapshotList({ ...list, offset: job.offset, restore }));
  };

  try {
    await deps.services.snapshots.restoreSnapshot(ctx, job.id, async (progress: RestoreProgress) => {
      restore = { vmName: progress.vmName, snapshotName: progress.snapshotName, requestedBy: ctx.actor.slackUserId, steps: [...(restore?.steps ?? []), progress.step] };
      // A list we cannot redraw must not stop the restore itself.
      await show().catch((error) => deps.logger.warn({ err: error, snapshotId: job.id }, "could not redraw the snapshot list"));
    });
  } catch (error) {
    const message = userMessageFor(error, deps.logger);
    if (!restore) {
      await replyEphemeral(args, message);
      return;
    }
    restore = { ...restore, failure: message };
    await show().catch((showError) => deps.logger.warn({ err: showError, snapshotId: job.id }, "could not redraw the snapshot list"));
  }
  await updates.flush();
}
