// The button under an environment plan (after Slack's confirm dialog): request the run, post its progress
// message in the channel (the outcome of an action is the channel's), and follow it there.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { followEnvironmentRun } from "../../environment-follower.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction, type SlackBody } from "../../interaction.js";
import { postWorkMessage } from "../../messages.js";
import { renderEnvironmentProgress } from "../../views/environments.js";

const valueSchema = z.object({ action: z.enum(["start", "stop"]), environment: z.string().min(1).max(100) });

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.envRun, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const { action, environment } = valueSchema.parse(JSON.parse(args.action.value ?? "{}"));
      const { operationId } = await deps.services.environments.requestEnvironmentAction(ctx, environment, action);
      const progress = await deps.services.environments.getProgress(operationId);
      const requestedBy = ctx.actor.slackUserId;
      const ref = await postWorkMessage(args.client, channelOf(args.body as SlackBody), requestedBy, renderEnvironmentProgress(progress, requestedBy));
      // The plan the user confirmed gives way to a pointer; a stale response_url must not hide that the run started.
      await args
        .respond({ response_type: "ephemeral", replace_original: true, text: `${action === "start" ? "Starting" : "Stopping"} ${environment}: progress in the channel.` })
        .catch((error) => deps.logger.warn({ err: error }, "could not replace the environment plan"));
      followEnvironmentRun(deps, args.client, operationId, ref, requestedBy);
    });
  });
}
