// The App Home: who you are here and what you may do, what you did lately, the VMs you touched
// (with their state now), and shortcuts to the things people come for.
import type { HomeView, KnownBlock } from "@slack/types";
import type { Actor } from "../../services/actor.js";
import type { AuditEntryView } from "../../services/audit-service.js";
import type { EnvironmentSummary } from "../../services/environments/environment-service.js";
import type { NotificationView } from "../../services/notifications/notification-service.js";
import type { Permission } from "../../services/policy.js";
import type { VmSummary } from "../../services/vm-service.js";
import { ACTION } from "../ids.js";
import { auditEntryLine } from "./audit.js";
import { STATUS_EMOJI } from "./format.js";
import { LIMITS, escapeMrkdwn, packLines, slackDate, truncate } from "./limits.js";
import { notificationListButtons, renderNotificationRows } from "./notifications.js";

export const HOME_LIST_LIMIT = 15;
/** Notifications shown in App Home (two blocks each, near the top so the 100-block budget never cuts them). */
export const HOME_NOTIFICATION_LIMIT = 5;

export interface HomeInput {
  me: { actor: Actor; lastLoginAt: Date | null; permissions: Permission[] };
  recent: AuditEntryView[];
  vms: { vm: VmSummary; action: string; at: Date }[];
  /** The environments the user works with (for now: all, for anyone who may view VMs). */
  environments?: EnvironmentSummary[];
  /** The reader's latest notifications not dismissed (newest first) and how many are unread. */
  notifications?: { items: NotificationView[]; unread: number };
}

function sections(lines: string[], empty: string): KnownBlock[] {
  const texts = lines.length ? packLines(lines) : [empty];
  return texts.map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
}

function vmLine({ vm, action, at }: HomeInput["vms"][number]): string {
  return truncate(`${STATUS_EMOJI[vm.status]} *${escapeMrkdwn(truncate(vm.name, 200))}*  ${vm.status}  ·  you: \`${action}\` ${slackDate(at)}`, 500);
}

function environmentLine(environment: EnvironmentSummary): string {
  const lock = environment.lockedBy ? `  ·  :lock: ${escapeMrkdwn(truncate(environment.lockedBy, 100))}` : "";
  const last = environment.lastRun ? `  ·  last ${environment.lastRun.action}: ${environment.lastRun.status} ${slackDate(environment.lastRun.at)}` : "  ·  never run from here";
  return truncate(`*${escapeMrkdwn(truncate(environment.name, 100))}*  ${environment.running}/${environment.total} running${lock}${last}`, LIMITS.sectionText);
}

/** Each environment as a line, with Start/Stop for those who may (the service asks the policy again). */
function environmentBlocks(environments: EnvironmentSummary[], permissions: Permission[]): KnownBlock[] {
  const buttons = [
    ...(permissions.includes("vm_start") ? [{ id: ACTION.homeEnvStart, text: "Start", style: "primary" as const }] : []),
    ...(permissions.includes("vm_stop") ? [{ id: ACTION.homeEnvStop, text: "Stop", style: undefined }] : []),
  ];
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: "Environments" } }];
  for (const environment of environments.slice(0, HOME_LIST_LIMIT)) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: environmentLine(environment) } });
    if (!buttons.length) continue;
    blocks.push({
      type: "actions",
      elements: buttons.map((button) => ({
        type: "button" as const,
        action_id: button.id,
        text: { type: "plain_text" as const, text: button.text },
        value: environment.name,
        ...(button.style ? { style: button.style } : {}),
      })),
    });
  }
  if (environments.length > HOME_LIST_LIMIT) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `…and ${environments.length - HOME_LIST_LIMIT} more: \`/vm env list\`` }] });
  return blocks;
}

/** The latest notifications, unread ones marked New, with Mark read / Dismiss, Mark all read and the settings. */
function notificationBlocks({ items, unread }: NonNullable<HomeInput["notifications"]>): KnownBlock[] {
  const shown = items.slice(0, HOME_NOTIFICATION_LIMIT);
  const more = unread > shown.filter((item) => !item.readAt).length ? "  ·  `/vm notifications` lists them all" : "";
  return [
    { type: "header", text: { type: "plain_text", text: unread ? `Notifications (${unread} unread)` : "Notifications" } },
    ...(shown.length ? renderNotificationRows(shown, "home") : [{ type: "section" as const, text: { type: "mrkdwn" as const, text: "Nothing to tell you." } }]),
    ...(more ? [{ type: "context" as const, elements: [{ type: "mrkdwn" as const, text: `${unread} unread${more}` }] }] : []),
    notificationListButtons(unread, "home"),
    { type: "divider" },
  ];
}

export function renderHome({ me, recent, vms, environments, notifications }: HomeInput): HomeView {
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
    ...(notifications ? notificationBlocks(notifications) : []),
    ...(environments?.length ? environmentBlocks(environments, me.permissions) : []),
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
