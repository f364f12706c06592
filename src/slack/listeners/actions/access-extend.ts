// "Request an extension" on the DM warning that temporary access ends soon (value = the grant's id): files a
// request for the same level and length, sent to the environment's approvers.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { describeDuration } from "../../../services/access/validation.js";
import type { SlackDeps } from "../../deps.js";
import { notificationActionId } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { replyEphemeral } from "../../replies.js";
import { escapeMrkdwn } from "../../views/limits.js";

const accessId = z.coerce.number().int().positive();

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(notificationActionId("access_extend"), async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const filed = await deps.services.access.requestExtension(ctx, accessId.parse(args.action.value));
      await replyEphemeral(args, `:envelope: Asked for another ${describeDuration(filed.durationHours)} of *${filed.level}* access to *${escapeMrkdwn(filed.environment)}*; you get the decision by DM.`);
    });
  });
}
