// The App Home: who you are here and what you may do, what you did lately, the VMs you touched
// (with their state now), and shortcuts to the things people come for.
import type { HomeView, KnownBlock } from "@slack/types";
import type { AuditEntryView } from "../../services/audit-service.js";
import type { EnvironmentSummary } from "../../services/environments/environment-service.js";
import type { MyLocks } from "../../services/locks/lock-model.js";
import type { NotificationView } from "../../services/notifications/notification-service.js";
import type { Permission } from "../../services/policy.js";
import type { WhoAmI } from "../../services/user-service.js";
import type { VmSummary } from "../../services/vm-service.js";
import { permissionLines } from "./account.js";
import { ACTION } from "../ids.js";
import { auditEntryLine } from "./audit.js";
import { STATUS_EMOJI } from "./format.js";
import { LIMITS, escapeMrkdwn, packLines, slackDate, truncate } from "./limits.js";
import { renderHomeLocks } from "./locks.js";
import { notificationListButtons, renderNotificationRows } from "./notifications.js";

export const HOME_LIST_LIMIT = 15;
/** Notifications shown in App Home (two blocks each, near the top so the 100-block budget never cuts them). */
export const HOME_NOTIFICATION_LIMIT = 5;

/** An environment on the Home, with what the reader may do in it (asked of the policy by the presenter). */
export type HomeEnvironment = EnvironmentSummary & { permissions: Permission[] };

export interface HomeInput {
  me: Pick<WhoAmI, "actor" | "lastLoginAt" | "permissions" | "environments">;
  recent: AuditEntryView[];
  vms: { vm: VmSummary; action: string; at: Date }[];
  /** The environments the user may open. */
  environments?: HomeEnvironment[];
  /** The user's environment locks and queue places (shown only when there are any). */
  locks?: MyLocks;
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

/** Each environment as a line, with Start/Stop where the reader may (the service asks the policy again). */
function environmentBlocks(environments: HomeEnvironment[]): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: "Environments" } }];
  for (const environment of environments.slice(0, HOME_LIST_LIMIT)) {
    const buttons = [
      ...(environment.permissions.includes("vm_start") ? [{ id: ACTION.homeEnvStart, text: "Start", style: "primary" as const }] : []),
      ...(environment.permissions.includes("vm_stop") ? [{ id: ACTION.homeEnvStop, text: "Stop", style: undefined }] : []),
    ];
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

/** What the user may do outside environments, and their level in each environment (`/vm whoami` details it). */
function accessLines(me: HomeInput["me"]): string[] {
  if (me.actor.role === "admin") return permissionLines(me);
  const [platform] = permissionLines({ ...me, environments: [] });
  const levels = me.environments.slice(0, HOME_LIST_LIMIT).map((environment) => `${escapeMrkdwn(truncate(environment.name, 100))} (${environment.level})`);
  const more = me.environments.length > HOME_LIST_LIMIT ? `, and ${me.environments.length - HOME_LIST_LIMIT} more` : "";
  return [platform!, levels.length ? `Your environments: ${levels.join(", ")}${more}. \`/vm whoami\` says what each allows.` : "You have no access to any environment yet."];
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

export function renderHome({ me, recent, vms, environments, locks, notifications }: HomeInput): HomeView {
  const session = me.lastLoginAt ? `  Session since ${slackDate(me.lastLoginAt)}.` : "";
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "VM lifecycle bot" } },
    { type: "section", text: { type: "mrkdwn", text: `You are <@${me.actor.slackUserId}>, role *${me.actor.role}*.` } },
    { type: "context", elements: [{ type: "mrkdwn", text: truncate(`${accessLines(me).join("\n")}${session}`, LIMITS.sectionText) }] },
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
    ...(environments?.length ? environmentBlocks(environments) : []),
    ...(locks ? renderHomeLocks(locks, HOME_LIST_LIMIT) : []),
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
