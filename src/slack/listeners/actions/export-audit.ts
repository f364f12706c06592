// Export CSV: the filtered log as a file in the channel the button is in (or the user's DM, from the
// modal or where the bot cannot post), plus a short confirmation to the clicker. The service writes
// the file; it is streamed to Slack from there.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { SlackDeps } from "../../deps.js";
import { shareFile, type FileToShare } from "../../file-upload.js";
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
      const channel = channelOf(args.body);
      const sentTo = await deps.services.audit.exportCsv(ctx, auditFiltersOf(state.f), (csv) =>
        upload(args.client, channel, ctx.actor.slackUserId, {
          ...csv,
          filename: `audit-log-${new Date().toISOString().slice(0, 16).replace(/[-:]/g, "")}.csv`,
          title: "Audit log export",
          initialComment: truncate(`Audit log export for <@${ctx.actor.slackUserId}> (${csv.rows} entries). ${filterSummary(state.f)}`, 3000),
        }),
      );
      if (sentTo === "channel") await replyEphemeral(args, ":white_check_mark: Exported the audit log here as CSV.");
      else if (channel) await replyEphemeral(args, ":white_check_mark: I can't post files here, so I sent the CSV to our DM.");
    });
  });
}

async function upload(client: WebClient, channel: string | undefined, slackUserId: string, file: FileToShare): Promise<"channel" | "dm"> {
  if (channel) {
    try {
      await shareFile(client, channel, file);
      return "channel";
    } catch (error) {
      if (!cannotPostThere(error)) throw error;
    }
  }
  const opened = await client.conversations.open({ users: slackUserId });
  await shareFile(client, opened.channel!.id!, file); // uploaded afresh: the file is read again
  return "dm";
}
