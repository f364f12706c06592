// The Deny modal submitted: a missing reason stays on the field; otherwise the request is denied (the first
// decision wins) and the approver is told, or told who decided first.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { denialReasonSchema } from "../../../services/access/validation.js";
import type { SlackDeps } from "../../deps.js";
import { INPUT, VIEW } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { sendDirectMessage } from "../../replies.js";
import { escapeMrkdwn } from "../../views/limits.js";

export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(VIEW.accessDeny, async (args) => {
    const typed = args.view.state.values[INPUT.denyReason.block]?.[INPUT.denyReason.action]?.value ?? "";
    const reason = denialReasonSchema.safeParse(typed);
    if (!reason.success) {
      await args.ack({ response_action: "errors", errors: { [INPUT.denyReason.block]: reason.error.issues[0]!.message } });
      return;
    }
    await args.ack();
    await runInteraction(deps, args, "slack_modal", async (ctx) => {
      // A modal has no channel: the answer (as any error, through runInteraction) goes to the approver's DM.
      const denied = await deps.services.access.decide(ctx, Number(args.view.private_metadata), { approve: false, reason: reason.data });
      await sendDirectMessage(args, ctx.actor.slackUserId, { text: `:no_entry_sign: Denied <@${denied.requester.slackUserId}> ${denied.level} access to *${escapeMrkdwn(denied.environment)}*.` });
    });
  });
}
