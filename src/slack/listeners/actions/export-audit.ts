// Export CSV: the filtered log as a file in the channel the button is in (or the user's DM, from the
// modal or where the bot cannot post), plus a short confirmation to the clicker.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction } from "../../interaction.js";
import { cannotPostThere } from "../../messages.js";
import { replyEphemeral } from "../../replies.js";
import { filterSummary } from "../../views/audit.js";
import { auditFiltersOf, decodeAuditState } from "../../views/audit-state.js";
import { truncate } from "../../views/limits.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.auditExport, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const state = decodeAuditState(args.action.value);
      const csv = await deps.services.audit.exportCsv(ctx, auditFiltersOf(state.f));
      // Read it ourselves: filesUploadV2 buffers a stream anyway, and would hang if the stream failed.
      const data = Buffer.concat((await csv.toArray()).map((chunk: Buffer | string) => Buffer.from(chunk)));
      const file = {
        file: data,
        filename: `audit-log-${new Date().toISOString().slice(0, 16).replace(/[-:]/g, "")}.csv`,
        title: "Audit log export",
        initial_comment: truncate(`Audit log export for <@${ctx.actor.slackUserId}>. ${filterSummary(state.f)}`, 3000),
      };
      const channel = channelOf(args.body);
      const sentTo = await upload(args.client, channel, ctx.actor.slackUserId, file);
      if (sentTo === "channel") await replyEphemeral(args, ":white_check_mark: Exported the audit log here as CSV.");
      else if (channel) await replyEphemeral(args, ":white_check_mark: I can't post files here, so I sent the CSV to our DM.");
    });
  });
}

type Upload = { file: Buffer; filename: string; title: string; initial_comment: string };

async function upload(client: WebClient, channel: string | undefined, slackUserId: string, file: Upload): Promise<"channel" | "dm"> {
  if (channel) {
    try {
      await client.filesUploadV2({ ...file, channel_id: channel });
      return "channel";
    } catch (error) {
      if (!cannotPostThere(error)) throw error;
    }
  }
  const opened = await client.conversations.open({ users: slackUserId });
  await client.filesUploadV2({ ...file, channel_id: opened.channel!.id! });
  return "dm";
}
