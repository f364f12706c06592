import type { KnownBlock } from "@slack/types";
import { VM_QUERY_HELP } from "../../services/vm-query.js";
import { chunk, LIMITS, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

export interface CommandHelp {
  usage: string;
  summary: string;
  examples: string[];
}

export function renderHelp(commands: CommandHelp[]): SlackMessage {
  const lines = commands.map((command) => `\`${command.usage}\`  ${command.summary}\n      e.g. ${command.examples.map((example) => `\`${example}\``).join("  ")}`);
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: "VM lifecycle bot: commands" } }];
  for (const group of chunk(lines, 6)) blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(group.join("\n"), LIMITS.sectionText) } });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `List filters: \`${VM_QUERY_HELP}\`. Buttons do the rest: select VMs in a list, then Start, Stop or Reboot.` }] });
  return { text: "VM lifecycle bot: commands", blocks };
}

export function renderUsage(command: CommandHelp, problem?: string): string {
  return `${problem ? `${problem} ` : ""}Usage: \`${command.usage}\`  e.g. ${command.examples.map((example) => `\`${example}\``).join(", ")}`;
}
