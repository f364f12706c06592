// "Notify me / queue" under a lock refusal: joins the environment's queue and says where the user stands.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { replyEphemeral } from "../../replies.js";
import { queueAnswer } from "../commands/env-locks.js";

const environmentName = z.string().min(1).max(100);

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.lockQueue, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      await replyEphemeral(args, await queueAnswer({ deps, ctx }, environmentName.parse(args.action.value)));
    });
  });
}
