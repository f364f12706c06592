// Approve / Deny on an approver's DM (value = request id). Approve decides at once; Deny first asks for a
// reason in a modal (unless someone already decided, which is answered straight away). Every approver's
// DM is redrawn by the service once the decision commits.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { notificationActionId } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { replyEphemeral } from "../../replies.js";
import { renderDenyModal } from "../../views/access.js";
import { escapeMrkdwn, slackDate } from "../../views/limits.js";

const requestId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(notificationActionId("access_approve"), async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const decided = await deps.services.access.decide(ctx, requestId.parse(args.action.value), { approve: true });
      const until = decided.expiresAt ? `until ${slackDate(decided.expiresAt)}` : "until revoked";
      await replyEphemeral(args, `:white_check_mark: Approved: <@${decided.requester.slackUserId}> has *${decided.level}* access to *${escapeMrkdwn(decided.environment)}* ${until}.`);
    });
  });

  app.action<BlockAction<ButtonAction>>(notificationActionId("access_deny"), async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const request = await deps.services.access.pendingRequestForDecision(ctx, requestId.parse(args.action.value));
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: renderDenyModal(request) });
    });
  });
}
