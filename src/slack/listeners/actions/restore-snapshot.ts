// Restore (after the button's confirm dialog): runs in the background after the ack. The channel gets
// one message, "who restored which VM from what", updated at each step: stopping → restoring →
// starting → done, or the failure. The clicker's snapshot list is redrawn when the restore begins (no
// new work offered meanwhile) and when it ends. A refusal before anything changed (role, snapshot not
// available) is told to the clicker alone.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { RequestContext } from "../../../services/actor.js";
import type { RestoreProgress } from "../../../services/snapshot-service.js";
import { throttled } from "../../background.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction, type InteractionArgs } from "../../interaction.js";
import { lookupTargetOf, postOutcome, redrawLookup, updateWorkMessage, type LookupTarget, type MessageRef } from "../../messages.js";
import { loadSnapshotList } from "../../presenters/snapshots.js";
import { replyEphemeral } from "../../replies.js";
import { userMessageFor } from "../../user-messages.js";
import { renderRestoreMessage, renderSnapshotList, snapshotListStateIn, type RestoreView } from "../../views/snapshots.js";
import type { SlackMessage } from "../../views/vm-list.js";

const snapshotId = z.coerce.number().int().positive();

interface RestoreJob {
  id: number;
  list: LookupTarget;
  channel: string | undefined;
  offset: number;
}

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.snapshotRestore, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const job: RestoreJob = {
        id: snapshotId.parse(args.action.value),
        list: lookupTargetOf(args.body),
        channel: channelOf(args.body),
        // An ephemeral list comes without its blocks: it then redraws from its first page.
        offset: snapshotListStateIn(args.body.message?.blocks ?? [])?.o ?? 0,
      };
      deps.background.run(`restore snapshot ${job.id}`, () => followRestore(deps, args, ctx, job));
    });
  });
}

async function followRestore(deps: SlackDeps, args: InteractionArgs, ctx: RequestContext, job: RestoreJob) {
  const warn = (what: string) => (error: unknown) => deps.logger.warn({ err: error, snapshotId: job.id }, what);
  let outcome: Promise<MessageRef | undefined> | undefined;
  const updates = throttled<SlackMessage>(deps.progressIntervalMs, async (message) => {
    const ref = await outcome;
    if (ref) await updateWorkMessage(args.client, ref, message).catch(warn("could not update the restore message"));
  });
  let restore: (RestoreView & { vmName: string }) | undefined;
  // The clicker's list, drawn from the database (unaudited): statuses move while the restore runs.
  const redrawList = async () => {
    if (!restore) return;
    const list = await loadSnapshotList(deps, ctx, { name: restore.vmName }, { audited: false });
    await redrawLookup(args.client, job.list, renderSnapshotList({ ...list, offset: job.offset, restore }));
  };

  try {
    await deps.services.snapshots.restoreSnapshot(ctx, job.id, async (progress: RestoreProgress) => {
      const first = !restore;
      restore = { vmName: progress.vmName, snapshotName: progress.snapshotName, requestedBy: ctx.actor.slackUserId, steps: [...(restore?.steps ?? []), progress.step] };
      const message = renderRestoreMessage(restore.vmName, restore);
      // Neither the channel message nor the list may stop the restore itself.
      if (first) {
        outcome = postOutcome(args, job.channel, ctx.actor.slackUserId, message).catch((error: unknown) => {
          warn("could not post the restore message")(error);
          return undefined;
        });
        await outcome;
        await redrawList().catch(warn("could not redraw the snapshot list"));
      } else {
        void updates.push(message);
      }
    });
  } catch (error) {
    const message = userMessageFor(error, deps.logger);
    if (!restore) {
      await replyEphemeral(args, message);
      return;
    }
    restore = { ...restore, failure: message };
    void updates.push(renderRestoreMessage(restore.vmName, restore));
  }
  await updates.flush();
  await redrawList().catch(warn("could not redraw the snapshot list"));
}
