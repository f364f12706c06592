// The App Home's shortcut buttons: a VM list in the user's DM (no channel to answer in), the audit
// modal, help in the DM.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { answerLookup } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";
import { renderHelp } from "../../views/help.js";
import { subcommands } from "../commands/vm-command.js";
import { openAuditModal } from "./open-audit-filters.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.homeListVms, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_home", async (ctx) => {
      const message = await presentVmList(deps, ctx, { q: "", sel: [] }, { audited: true });
      await answerLookup(args.client, { user: ctx.actor.slackUserId }, message);
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.homeOpenAudit, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_home", (ctx) => openAuditModal(deps, args.client, args.body.trigger_id, ctx, { f: {} }));
  });

  app.action<BlockAction<ButtonAction>>(ACTION.homeHelp, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_home", async (ctx) => {
      await answerLookup(args.client, { user: ctx.actor.slackUserId }, renderHelp(subcommands()));
    });
  });
}
