// `/vm <subcommand> ...`: acks at once, then dispatches. An unknown subcommand or wrong usage gets a
// short ephemeral usage reply.
import type { App } from "@slack/bolt";
import { COMMAND } from "../../ids.js";
import type { SlackDeps } from "../../deps.js";
import { runInteraction } from "../../interaction.js";
import { renderUsage } from "../../views/help.js";
import { helpCommand } from "./help.js";
import { listCommand } from "./list.js";
import { logoutCommand } from "./logout.js";
import { rebootCommand, startCommand, stopCommand } from "./power.js";
import { removeCommand } from "./remove.js";
import { roleCommand } from "./role.js";
import { statusCommand } from "./status.js";
import { UsageError, type Subcommand } from "./subcommand.js";
import { whoamiCommand } from "./whoami.js";
import { snapshotCommand, snapshotsCommand } from "./snapshot.js";
import { auditCommand } from "./audit.js";
import { envCommand } from "./env.js";
import { jobsCommand } from "./jobs.js";

export function subcommands(): Subcommand[] {
  const table: Subcommand[] = [
    listCommand,
    startCommand,
    stopCommand,
    rebootCommand,
    statusCommand,
    removeCommand,
    snapshotCommand,
    snapshotsCommand,
    auditCommand,
    envCommand,
    jobsCommand,
    whoamiCommand,
    roleCommand,
    logoutCommand,
  ];
  return [...table, helpCommand(() => table)];
}

export function register(app: App, deps: SlackDeps): void {
  const table = subcommands();
  app.command(COMMAND, async (args) => {
    await args.ack();
    const [name = "help", ...argv] = args.command.text.trim().split(/\s+/).filter(Boolean);
    const subcommand = table.find((candidate) => candidate.name === name.toLowerCase());
    if (!subcommand) {
      const known = table.map((candidate) => candidate.name).join(", ");
      await args.respond({ response_type: "ephemeral", text: `Unknown command \`${name}\`. Try one of: ${known}. \`/vm help\` shows examples.` });
      return;
    }
    const rest = args.command.text.trim().slice(name.length).trim();
    await runInteraction(deps, args, "slack_command", async (ctx) => {
      try {
        await subcommand.run({ deps, args, ctx, argv, rest });
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        await args.respond({ response_type: "ephemeral", text: renderUsage(subcommand, error.message) });
      }
    });
  });
}
