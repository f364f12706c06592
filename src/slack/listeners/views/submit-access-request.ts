// The request modal submitted (private_metadata = environment name): a short justification stays on the
// field; otherwise the request is filed and the requester told in their DM who was asked.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { describeDuration, justificationSchema, parseDurationHours, parseLevel } from "../../../services/access/validation.js";
import type { SlackDeps } from "../../deps.js";
import { INPUT, VIEW } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { sendDirectMessage } from "../../replies.js";
import { escapeMrkdwn } from "../../views/limits.js";

export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(VIEW.accessRequest, async (args) => {
    const values = args.view.state.values;
    const typed = values[INPUT.accessJustification.block]?.[INPUT.accessJustification.action]?.value ?? "";
    const justification = justificationSchema.safeParse(typed);
    if (!justification.success) {
      await args.ack({ response_action: "errors", errors: { [INPUT.accessJustification.block]: justification.error.issues[0]!.message } });
      return;
    }
    await args.ack();
    await runInteraction(deps, args, "slack_modal", async (ctx) => {
      const level = values[INPUT.accessLevel.block]?.[INPUT.accessLevel.action]?.selected_option?.value;
      const duration = values[INPUT.accessDuration.block]?.[INPUT.accessDuration.action]?.selected_option?.value ?? "none";
      // A modal has no channel: the answer (as any error, through runInteraction) goes to the requester's DM.
      const filed = await deps.services.access.requestAccess(ctx, {
        environment: args.view.private_metadata,
        level: parseLevel(level),
        durationHours: duration === "none" ? null : parseDurationHours(duration),
        justification: justification.data,
      });
      const notified = `${filed.approvers} approver${filed.approvers === 1 ? "" : "s"} notified`;
      await sendDirectMessage(args, ctx.actor.slackUserId, { text: `:envelope: Requested *${filed.level}* access to *${escapeMrkdwn(filed.environment)}* (${describeDuration(filed.durationHours)}); ${notified}. You get the decision by DM.` });
    });
  });
}
