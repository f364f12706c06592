import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from "../../../src/services/audit-actions.js";
import type { AuditEntryView, AuditPage } from "../../../src/services/audit-service.js";
import { encodeCursor } from "../../../src/services/pagination.js";

export function auditEntries(count: number, long = false): AuditEntryView[] {
  return Array.from({ length: count }, (_, index) => ({
    id: 100_000 + index,
    at: new Date(Date.UTC(2026, 10, 1) - index * 60_000),
    action: AUDIT_ACTIONS[index % AUDIT_ACTIONS.length]!,
    outcome: AUDIT_OUTCOMES[index % AUDIT_OUTCOMES.length]!,
    source: "slack_button",
    slackUserId: index % 4 === 3 ? null : `U0USER${String(index % 1000).padStart(4, "0")}`,
    userName: index % 2 ? (long ? "n".repeat(3000) : `user ${index}`) : null,
    vmName: long ? `vm-${"v".repeat(4000)}<&>` : `web-${index}`,
    environment: index % 5 ? null : long ? "e".repeat(4000) : "prod",
    details: { snapshot: long ? "s".repeat(5000) : `snap-${index}`, nested: { ignored: true }, count: index },
  }));
}

/** A cursor like the service's: base64url JSON of the last entry's sort key. */
export const cursorOf = (entry: AuditEntryView) => encodeCursor({ at: entry.at.toISOString(), id: entry.id });

export function auditPage(count: number, options: { long?: boolean; older?: boolean; newer?: boolean } = {}): AuditPage {
  const items = auditEntries(count, options.long);
  return {
    items,
    ...(options.older && items.length ? { nextCursor: cursorOf(items[items.length - 1]!) } : {}),
    ...(options.newer && items.length ? { previousCursor: cursorOf(items[0]!) } : {}),
  };
}
