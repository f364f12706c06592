// Snapshot actions as the channel is told them: "who took / deleted which snapshot of which VM".
import type { RequestContext } from "../../services/actor.js";
import { escapeMrkdwn } from "../views/limits.js";
import { renderSnapshotOutcome } from "../views/snapshots.js";
import type { SlackMessage } from "../views/vm-list.js";

export function snapshotTaken(ctx: RequestContext, snapshot: string, vm: string): SlackMessage {
  return renderSnapshotOutcome(`:camera_with_flash: <@${ctx.actor.slackUserId}> started snapshot *${escapeMrkdwn(snapshot)}* of *${escapeMrkdwn(vm)}*.`);
}

export function snapshotDeleted(ctx: RequestContext, snapshot: string, vm: string): SlackMessage {
  return renderSnapshotOutcome(`:wastebasket: <@${ctx.actor.slackUserId}> is deleting snapshot *${escapeMrkdwn(snapshot)}* of *${escapeMrkdwn(vm)}*.`);
}
