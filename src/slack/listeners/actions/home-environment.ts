// The App Home's Start/Stop under an environment: the same plan with its confirm button as
// `/vm env start|stop <env>`, in the user's DM (the Home has no channel to answer in).
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { EnvironmentAction } from "../../../services/environments/plan.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { answerLookup } from "../../messages.js";
import { presentEnvironmentPlan } from "../../presenters/environments.js";

const environmentName = z.string().min(1).max(100);

export function register(app: App, deps: SlackDeps): void {
  const buttons: [string, EnvironmentAction][] = [
    [ACTION.homeEnvStart, "start"],
    [ACTION.homeEnvStop, "stop"],
  ];
  for (const [actionId, action] of buttons) {
    app.action<BlockAction<ButtonAction>>(actionId, async (args) => {
      await args.ack();
      await runInteraction(deps, args, "slack_home", async (ctx) => {
        const name = environmentName.parse(args.action.value);
        await answerLookup(args.client, { user: ctx.actor.slackUserId }, await presentEnvironmentPlan(deps, ctx, name, action));
      });
    });
  }
}
