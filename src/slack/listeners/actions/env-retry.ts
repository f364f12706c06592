// Retry failed (value = run id) on an environment progress message: runs the failed and skipped steps
// again and keeps following the run in the same message.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { followEnvironmentRun } from "../../environment-follower.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { lookupTargetOf, updateWorkMessage } from "../../messages.js";
import { renderEnvironmentProgress } from "../../views/environments.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.envRetry, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const operationId = Number(args.action.value);
      await deps.services.environments.retryFailed(ctx, operationId);
      // The progress message is the channel's (posted with chat.postMessage), so chat.update reaches it.
      const target = lookupTargetOf(args.body);
      if (target.kind !== "message") throw new Error("Retry failed clicked outside a channel message");
      const ref = { channel: target.channel, ts: target.ts };
      const requestedBy = ctx.actor.slackUserId;
      await updateWorkMessage(args.client, ref, renderEnvironmentProgress(await deps.services.environments.getProgress(operationId), requestedBy));
      followEnvironmentRun(deps, args.client, operationId, ref, requestedBy);
    });
  });
}
