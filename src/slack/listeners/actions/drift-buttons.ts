// The drift notification's buttons (value = VM id): Adopt, Revert, Ignore this VM. The service asks the policy,
// settles the drift and redraws every admin's DM; Revert's action is then posted and followed in the DM.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { notificationActionId } from "../../ids.js";
import { channelOf, runInteraction } from "../../interaction.js";
import { announceOperation } from "../../operation-follower.js";
import { replyEphemeral } from "../../replies.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(notificationActionId("drift_adopt"), async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      await deps.services.drift.adopt(ctx, Number(args.action.value));
    });
  });
  app.action<BlockAction<ButtonAction>>(notificationActionId("drift_ignore"), async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      await deps.services.drift.ignore(ctx, Number(args.action.value));
    });
  });
  app.action<BlockAction<ButtonAction>>(notificationActionId("drift_revert"), async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const request = await deps.services.drift.revert(ctx, Number(args.action.value));
      const result = request.results[0];
      if (result?.outcome === "accepted") await announceOperation(deps, args, ctx, request.operationId, channelOf(args.body));
      else if (result) await replyEphemeral(args, result.message ?? `Nothing to do: ${result.name} is ${result.status}.`);
    });
  });
}
