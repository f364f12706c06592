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
import { notificationsCommand } from "./notifications.js";

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
    notificationsCommand,
    whoamiCommand,
    roleCommand,
    logoutCommand,
  ];
  return [...table, helpCommand(() => table)];
}

export type VmCommandRoute = { kind: "run"; subcommand: Subcommand; argv: string[]; rest: string } | { kind: "unknown"; name: string; message: string };

/** Which subcommand `/vm <text>` names, and its words; pure, so the dispatch can be fuzzed without Slack. */
export function routeVmCommand(table: Subcommand[], typed: string): VmCommandRoute {
  // No name or filter contains NUL, and PostgreSQL cannot even compare text with one: drop it at the edge.
  const text = typed.replaceAll("\u0000", "");
  const [name = "help", ...argv] = text.trim().split(/\s+/).filter(Boolean);
  const subcommand = table.find((candidate) => candidate.name === name.toLowerCase());
  if (!subcommand) {
    const known = table.map((candidate) => candidate.name).join(", ");
    return { kind: "unknown", name, message: `Unknown command \`${name}\`. Try one of: ${known}. \`/vm help\` shows examples.` };
  }
  return { kind: "run", subcommand, argv, rest: text.trim().slice(name.length).trim() };
}

export function register(app: App, deps: SlackDeps): void {
  const table = subcommands();
  app.command(COMMAND, async (args) => {
    await args.ack();
    const route = routeVmCommand(table, args.command.text);
    if (route.kind === "unknown") {
      await args.respond({ response_type: "ephemeral", text: route.message });
      return;
    }
    const { subcommand, argv, rest } = route;
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
