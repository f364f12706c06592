// "Break lock" under a lock refusal: opens the modal that asks why (the holder reads it). The service asks the
// policy again on submission; the button is only shown to the environment's admins.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction, type SlackBody } from "../../interaction.js";
import { renderBreakLockModal } from "../../views/locks.js";

const environmentName = z.string().min(1).max(100);

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.lockOpenBreak, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async () => {
      const channel = channelOf(args.body as SlackBody);
      const view = renderBreakLockModal({ environment: environmentName.parse(args.action.value), ...(channel ? { channel } : {}) });
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    });
  });
}
