// The App Home: who you are here and what you may do, what you did lately, the VMs you touched
// (with their state now), and shortcuts to the things people come for.
import type { HomeView, KnownBlock } from "@slack/types";
import type { Actor } from "../../services/actor.js";
import type { AuditEntryView } from "../../services/audit-service.js";
import type { Permission } from "../../services/policy.js";
import type { VmSummary } from "../../services/vm-service.js";
import { ACTION } from "../ids.js";
import { auditEntryLine } from "./audit.js";
import { STATUS_EMOJI } from "./format.js";
import { LIMITS, escapeMrkdwn, packLines, slackDate, truncate } from "./limits.js";

export const HOME_LIST_LIMIT = 15;

export interface HomeInput {
  me: { actor: Actor; lastLoginAt: Date | null; permissions: Permission[] };
  recent: AuditEntryView[];
  vms: { vm: VmSummary; action: string; at: Date }[];
}

function sections(lines: string[], empty: string): KnownBlock[] {
  const texts = lines.length ? packLines(lines) : [empty];
  return texts.map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
}

function vmLine({ vm, action, at }: HomeInput["vms"][number]): string {
  return truncate(`${STATUS_EMOJI[vm.status]} *${escapeMrkdwn(truncate(vm.name, 200))}*  ${vm.status}  ·  you: \`${action}\` ${slackDate(at)}`, 500);
}

export function renderHome({ me, recent, vms }: HomeInput): HomeView {
  const allowed = me.permissions.map((permission) => permission.replace(/_/g, " ")).join(", ");
  const session = me.lastLoginAt ? `  Session since ${slackDate(me.lastLoginAt)}.` : "";
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "VM lifecycle bot" } },
    { type: "section", text: { type: "mrkdwn", text: `You are <@${me.actor.slackUserId}>, role *${me.actor.role}*.` } },
    { type: "context", elements: [{ type: "mrkdwn", text: truncate(`You may: ${allowed || "nothing yet"}.${session}`, LIMITS.sectionText) }] },
    {
      type: "actions",
      block_id: "home_shortcuts",
      elements: [
        { type: "button", action_id: ACTION.homeListVms, style: "primary", text: { type: "plain_text", text: "List VMs" }, value: "list" },
        { type: "button", action_id: ACTION.homeOpenAudit, text: { type: "plain_text", text: "Audit log" }, value: "audit" },
        { type: "button", action_id: ACTION.homeHelp, text: { type: "plain_text", text: "Help" }, value: "help" },
      ],
    },
    { type: "divider" },
    { type: "header", text: { type: "plain_text", text: "Your recent actions" } },
    ...sections(
      recent.slice(0, HOME_LIST_LIMIT).map((entry) => auditEntryLine(entry, { showUser: false })),
      "Nothing yet. *List VMs* is a good place to start.",
    ),
    { type: "header", text: { type: "plain_text", text: "VMs you worked on lately" } },
    ...sections(vms.slice(0, HOME_LIST_LIMIT).map(vmLine), "None yet."),
  ];
  return { type: "home", blocks: blocks.slice(0, LIMITS.blocksPerHome) };
}
