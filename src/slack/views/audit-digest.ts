// The audit digest as a message: failures and denials first, then who did what, environments started
// and stopped, locks held longest and drift, with a button that opens the audit log filtered to the period.
import type { KnownBlock } from "@slack/types";
import type { AuditDigestContent, DigestEntry } from "../../services/digests/digest-service.js";
import { ACTION } from "../ids.js";
import { MAX_FILTER_NAME, encodeAuditState } from "./audit-state.js";
import { LIMITS, escapeMrkdwn, packLines, slackDate, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

const MAX_LINE = 300;

function person(entry: { userName: string | null; slackUserId: string | null }): string {
  if (entry.userName) return `*${escapeMrkdwn(truncate(entry.userName, 80))}*`;
  return entry.slackUserId ? `<@${entry.slackUserId}>` : "_system_";
}

function entryLine(entry: DigestEntry): string {
  const parts = [slackDate(entry.at), person(entry), `\`${entry.action}\`${entry.outcome === "succeeded" ? "" : ` ${entry.outcome}`}`];
  if (entry.vmName) parts.push(`vm *${escapeMrkdwn(truncate(entry.vmName, 100))}*`);
  if (entry.environment) parts.push(`env *${escapeMrkdwn(truncate(entry.environment, 100))}*`);
  return truncate(parts.join("  ·  "), MAX_LINE);
}

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

function section(title: string, lines: string[], empty: string): KnownBlock[] {
  const texts = packLines([`*${title}*`, ...(lines.length ? lines : [empty])]);
  return texts.map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
}

export function renderAuditDigest(digest: AuditDigestContent): SlackMessage {
  const scope = digest.environment ? ` · env ${escapeMrkdwn(truncate(digest.environment, 100))}` : "";
  const period = `${slackDate(digest.since)} → ${slackDate(digest.until)}`;
  const problems = [`:x: ${digest.failed} failed  ·  :no_entry: ${digest.denied} denied`, ...digest.problems.map(entryLine)];
  if (digest.failed + digest.denied > digest.problems.length) problems.push(`…and ${digest.failed + digest.denied - digest.problems.length} more in the audit log.`);
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(`Audit digest${digest.environment ? ` · ${digest.environment}` : ""}`, LIMITS.headerText) } },
    { type: "context", elements: [{ type: "mrkdwn", text: truncate(`${period}${scope}  ·  ${digest.totalActions} actions`, LIMITS.sectionText) }] },
    ...section("Failures and denials", digest.failed + digest.denied ? problems : [], ":white_check_mark: No failures or denials."),
    ...section("Actions by user", digest.byUser.map((row) => `${person(row)}  ${row.count}`), "No actions."),
    ...section("Actions by type", digest.byAction.map((row) => `\`${row.action}\`  ${row.count}`), "No actions."),
    ...section("Environments started and stopped", digest.environmentRuns.map(entryLine), "No environment started or stopped."),
    ...section(
      "Locks held longest",
      digest.locks.map((lock) => `*${escapeMrkdwn(truncate(lock.environment, 100))}*  ${formatDuration(lock.heldMs)}  by ${person(lock)}${lock.releasedAt ? "" : " (still held)"}`),
      "No locks.",
    ),
    ...section("Drift found", digest.driftCount ? [`${digest.driftCount} VM state change(s) outside the bot`, ...digest.drift.map(entryLine)] : [], "No drift found."),
  ];
  // Environment names are bounded where they come in (config, command), so the filter always fits a button.
  if (!digest.environment || digest.environment.length <= MAX_FILTER_NAME) {
    const value = encodeAuditState({ f: { since: Math.floor(digest.since.getTime() / 1000), ...(digest.environment ? { env: digest.environment } : {}) } });
    blocks.push({ type: "actions", elements: [{ type: "button", action_id: ACTION.auditOpenFilters, text: { type: "plain_text", text: "Open the audit log" }, value }] });
  }
  const text = `Audit digest${digest.environment ? ` for ${digest.environment}` : ""}: ${digest.totalActions} actions, ${digest.failed} failed, ${digest.denied} denied.`;
  return { text: truncate(text, LIMITS.sectionText), blocks };
}
