// Cancel (value = run id) on a running environment's progress message: the steps not begun are
// skipped; the follower already running the run redraws the message as it settles.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { replyEphemeral } from "../../replies.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.envCancel, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const cancelled = await deps.services.environments.cancelRun(ctx, Number(args.action.value));
      await replyEphemeral(args, `Cancelled ${cancelled} step${cancelled === 1 ? "" : "s"} not begun yet; the ones in progress finish.`);
    });
  });
}
