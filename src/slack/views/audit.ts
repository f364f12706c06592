// The audit log as a message: one line per entry (who, what, which VM, how it went), newest first,
// with paging, CSV export and the filters modal. The modal shows the same results (auditResultBlocks).
import type { Button, KnownBlock } from "@slack/types";
import type { AuditOutcome } from "../../services/audit-actions.js";
import type { AuditEntryView, AuditPage } from "../../services/audit-service.js";
import { ACTION } from "../ids.js";
import { encodeAuditState, firstPage, type AuditState, type AuditViewFilters } from "./audit-state.js";
import { LIMITS, escapeMrkdwn, packLines, slackDate, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

export const AUDIT_NAV_BLOCK = "audit_nav";
const MAX_LINE = 500;
/** More than a page ever holds (AUDIT_PAGE_SIZE); a bound that keeps any input inside the block limits. */
export const MAX_AUDIT_LINES = 50;

const OUTCOME_EMOJI: Record<AuditOutcome, string> = {
  initiated: ":hourglass_flowing_sand:",
  succeeded: ":white_check_mark:",
  failed: ":x:",
  denied: ":no_entry:",
};

export interface AuditResultsView {
  state: AuditState;
  page: AuditPage;
  canExport: boolean;
  notice?: string;
}

export function renderAuditMessage(view: AuditResultsView): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "Audit log" } },
    ...auditResultBlocks(view, { filtersButton: true }),
  ];
  return { text: truncate(`Audit log: ${view.page.items.length} entries. ${filterSummary(view.state.f)}`, LIMITS.sectionText), blocks };
}

/** Summary, entries and controls: shared by the message and the modal (which has its own filter inputs). */
export function auditResultBlocks(view: AuditResultsView, options: { filtersButton: boolean }): KnownBlock[] {
  const { state, page } = view;
  const blocks: KnownBlock[] = [{ type: "context", elements: [{ type: "mrkdwn", text: truncate(`${filterSummary(state.f)}  ·  newest first`, LIMITS.sectionText) }] }];
  if (view.notice) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(view.notice, LIMITS.sectionText) }] });
  if (!page.items.length) {
    const text = state.after || state.before ? "No more entries this way." : "No audit entries match these filters.";
    blocks.push({ type: "section", text: { type: "mrkdwn", text } });
  }
  const lines = page.items.slice(0, MAX_AUDIT_LINES).map((entry) => auditEntryLine(entry));
  if (page.items.length > MAX_AUDIT_LINES) lines.push(`…and ${page.items.length - MAX_AUDIT_LINES} more entries on this page; narrow the filters to see them.`);
  for (const text of packLines(lines)) blocks.push({ type: "section", text: { type: "mrkdwn", text } });

  const elements: Button[] = [];
  if (page.previousCursor) {
    elements.push({ type: "button", action_id: ACTION.auditPrevious, text: { type: "plain_text", text: "◀ Newer" }, value: encodeAuditState({ f: state.f, before: page.previousCursor }) });
  }
  if (page.nextCursor) {
    elements.push({ type: "button", action_id: ACTION.auditNext, text: { type: "plain_text", text: "Older ▶" }, value: encodeAuditState({ f: state.f, after: page.nextCursor }) });
  }
  const filtersOnly = encodeAuditState(firstPage(state));
  if (view.canExport) elements.push({ type: "button", action_id: ACTION.auditExport, text: { type: "plain_text", text: "Export CSV" }, value: filtersOnly });
  if (options.filtersButton) elements.push({ type: "button", action_id: ACTION.auditOpenFilters, text: { type: "plain_text", text: "Filters…" }, value: filtersOnly });
  if (elements.length) blocks.push({ type: "actions", block_id: AUDIT_NAV_BLOCK, elements });
  return blocks;
}

/**
 * One entry. People appear by the name the log kept, not as a mention: a page of the log posted in a
 * channel should not notify everyone on it.
 */
export function auditEntryLine(entry: AuditEntryView, options: { showUser: boolean } = { showUser: true }): string {
  const parts = [`${OUTCOME_EMOJI[entry.outcome]} ${slackDate(entry.at)}`];
  if (options.showUser) parts.push(entry.userName ? `*${escapeMrkdwn(truncate(entry.userName, 80))}*` : entry.slackUserId ? `<@${entry.slackUserId}>` : "_system_");
  parts.push(`\`${entry.action}\`${entry.outcome === "succeeded" ? "" : ` ${entry.outcome}`}`);
  if (entry.vmName) parts.push(`vm *${escapeMrkdwn(truncate(entry.vmName, 100))}*`);
  if (entry.environment) parts.push(`env *${escapeMrkdwn(truncate(entry.environment, 100))}*`);
  const details = detailText(entry.details);
  if (details) parts.push(details);
  return truncate(parts.join("  ·  "), MAX_LINE);
}

/** The scalar details (snapshot name, target user, reason...), enough to tell entries apart. */
function detailText(details: Record<string, unknown> | null): string {
  if (!details) return "";
  const shown = Object.entries(details)
    .filter(([, value]) => ["string", "number", "boolean"].includes(typeof value) && value !== "")
    .slice(0, 4)
    .map(([key, value]) => `${key}: ${String(value)}`);
  return escapeMrkdwn(truncate(shown.join(", "), 200));
}

export function filterSummary(filters: AuditViewFilters): string {
  const parts: string[] = [];
  if (filters.users?.length) parts.push(`by ${filters.users.map((id) => `<@${id}>`).join(", ")}`);
  if (filters.actions?.length) parts.push(`action ${filters.actions.map((action) => `\`${action}\``).join(", ")}`);
  if (filters.outcomes?.length) parts.push(`outcome ${filters.outcomes.join(", ")}`);
  if (filters.vm) parts.push(`vm *${escapeMrkdwn(filters.vm)}*`);
  if (filters.env) parts.push(`env *${escapeMrkdwn(filters.env)}*`);
  if (filters.since !== undefined) parts.push(`since ${slackDate(new Date(filters.since * 1000))}${filters.span ? ` (${escapeMrkdwn(filters.span)})` : ""}`);
  return parts.length ? `Filters: ${parts.join("  ·  ")}` : "All entries";
}
