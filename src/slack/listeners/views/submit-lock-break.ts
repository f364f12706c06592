// The break-lock modal submitted: a reason under 10 characters is shown on the field (the modal stays open);
// otherwise the lock is broken (the service asks the policy and tells the holder by DM) and the channel the
// button was in is told.
import type { App, ViewSubmitAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { INPUT, VIEW } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { postOutcome } from "../../messages.js";
import { breakReasonField, decodeBreakOrigin, renderLockBroken } from "../../views/locks.js";

export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(VIEW.lockBreak, async (args) => {
    const typed = args.view.state.values[INPUT.lockBreakReason.block]?.[INPUT.lockBreakReason.action]?.value ?? "";
    const reason = breakReasonField.safeParse(typed);
    if (!reason.success) {
      await args.ack({ response_action: "errors", errors: { [INPUT.lockBreakReason.block]: reason.error.issues[0]!.message } });
      return;
    }
    await args.ack();
    await runInteraction(deps, args, "slack_modal", async (ctx) => {
      const origin = decodeBreakOrigin(args.view.private_metadata);
      const broken = await deps.services.locks.breakLock(ctx, origin.environment, reason.data);
      await postOutcome(args, origin.channel, ctx.actor.slackUserId, renderLockBroken(broken, ctx.actor.slackUserId, reason.data));
    });
  });
}
