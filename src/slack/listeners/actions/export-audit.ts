// Export CSV: the filtered log is the clicker's lookup, so the file goes to their DM with the bot, never
// to the channel, plus a short confirmation where they clicked. The service writes the file; it is
// streamed to Slack from there.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { shareFile } from "../../file-upload.js";
import { ACTION } from "../../ids.js";
import { channelOf, runInteraction } from "../../interaction.js";
import { replyEphemeral } from "../../replies.js";
import { filterSummary } from "../../views/audit.js";
import { auditFiltersOf, decodeAuditState } from "../../views/audit-state.js";
import { truncate } from "../../views/limits.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.auditExport, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const state = decodeAuditState(args.action.value);
      await deps.services.audit.exportCsv(ctx, auditFiltersOf(state.f), async (csv) => {
        const dm = await args.client.conversations.open({ users: ctx.actor.slackUserId });
        await shareFile(args.client, dm.channel!.id!, {
          ...csv,
          filename: `audit-log-${new Date().toISOString().slice(0, 16).replace(/[-:]/g, "")}.csv`,
          title: "Audit log export",
          initialComment: truncate(`Audit log export (${csv.rows} entries). ${filterSummary(state.f)}`, 3000),
        });
      });
      if (channelOf(args.body)) await replyEphemeral(args, ":white_check_mark: Sent the audit log as CSV to our DM.");
    });
  });
}
