// What an audit view shows (filters, page position) travels with it: in its buttons' values and in
// the modal's private_metadata, so any replica can handle the next click with no server-side session.
import { z } from "zod";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from "../../services/audit-actions.js";
import type { AuditFilters } from "../../services/audit-service.js";
import { ValidationError } from "../../services/errors.js";
import { LIMITS } from "./limits.js";

export const AUDIT_PAGE_SIZE = 20;
export const MAX_AUDIT_USERS = 20;
export const MAX_FILTER_NAME = 100;
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

const filtersSchema = z.object({
  users: z.array(z.string().regex(SLACK_USER_ID)).max(MAX_AUDIT_USERS).optional(),
  actions: z.array(z.enum(AUDIT_ACTIONS)).max(AUDIT_ACTIONS.length).optional(),
  outcomes: z.array(z.enum(AUDIT_OUTCOMES)).max(AUDIT_OUTCOMES.length).optional(),
  vm: z.string().min(1).max(MAX_FILTER_NAME).optional(),
  env: z.string().min(1).max(MAX_FILTER_NAME).optional(),
  /** Start of the window in epoch seconds, fixed when the filter is set so that pages stay put. */
  since: z.number().int().optional(),
  /** The window as chosen ("24h", "2026-11-01"), for display and the modal's picker. */
  span: z.string().max(40).optional(),
});
export type AuditViewFilters = z.infer<typeof filtersSchema>;

const cursor = z.string().max(120);
const stateSchema = z.object({ f: filtersSchema.default({}), after: cursor.optional(), before: cursor.optional() });
export type AuditState = z.infer<typeof stateSchema>;

export function encodeAuditState(state: AuditState): string {
  const value = JSON.stringify(stateSchema.parse(state));
  if (value.length > LIMITS.buttonValue) throw new ValidationError("Those filters are too long to keep; use fewer users, actions or a shorter name.");
  return value;
}

export function decodeAuditState(value: string | undefined): AuditState {
  try {
    return stateSchema.parse(value ? JSON.parse(value) : {});
  } catch {
    throw new ValidationError("That audit view is out of date; run `/vm audit` again.");
  }
}

/** The same filters, without a page position: what Export, Filters… and a new search start from. */
export function firstPage(state: AuditState): AuditState {
  return { f: state.f };
}

export function auditFiltersOf(filters: AuditViewFilters): AuditFilters {
  return {
    ...(filters.users?.length ? { slackUserIds: filters.users } : {}),
    ...(filters.actions?.length ? { actions: filters.actions } : {}),
    ...(filters.outcomes?.length ? { outcomes: filters.outcomes } : {}),
    ...(filters.vm ? { vmName: filters.vm } : {}),
    ...(filters.env ? { environment: filters.env } : {}),
    ...(filters.since !== undefined ? { since: new Date(filters.since * 1000) } : {}),
  };
}

export function auditPageOptions(state: AuditState): { limit: number; cursor?: string; before?: string } {
  return { limit: AUDIT_PAGE_SIZE, ...(state.after ? { cursor: state.after } : {}), ...(state.before ? { before: state.before } : {}) };
}

const RELATIVE_SPAN = /^(\d{1,5})([mhdw])$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * The start of a window written as "30m", "24h", "7d", "2w", a date ("2026-11-01", midnight UTC) or
 * an ISO time; undefined when the text is none of those.
 */
export function resolveSince(span: string, now: Date): Date | undefined {
  const relative = RELATIVE_SPAN.exec(span);
  if (relative) {
    const amount = Number(relative[1]);
    return amount > 0 ? new Date(now.getTime() - amount * UNIT_MS[relative[2]!.toLowerCase()]!) : undefined;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(span)) {
    const date = new Date(`${span}T00:00:00Z`);
    // Date() rolls 2026-02-30 over into March; a real date survives the round trip.
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(span) ? date : undefined;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(span)) {
    const time = Date.parse(span);
    return Number.isNaN(time) ? undefined : new Date(time);
  }
  return undefined;
}

/** Filters for a window chosen now: `span` undefined or "all" means no lower bound. */
export function withSpan(filters: Omit<AuditViewFilters, "since" | "span">, span: string | undefined, now: Date): AuditViewFilters {
  if (!span || span === "all") return filters;
  const since = resolveSince(span, now);
  if (!since) throw new ValidationError(`"${span}" is not a time: use 30m, 24h, 7d or a date like 2026-11-01.`);
  return { ...filters, since: Math.floor(since.getTime() / 1000), span };
}
