// Append-only audit log: writing (inside the caller's transaction when there is one), filtered
// queries with cursor pagination, and a streaming CSV export that never holds the whole log in memory.
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { z } from "zod";
import type { Actor } from "./actor.js";
import type { AuditAction, AuditOutcome, AuditSource } from "./audit-actions.js";
import { clampPageSize, decodeCursor, toPage, type Page } from "./pagination.js";
import { authorize } from "./policy.js";
import type { Db, Prisma, PrismaClient } from "./prisma-types.js";
import type { RequestContext } from "./actor.js";

export interface AuditEntryInput {
  actor: Actor | null;
  source: AuditSource;
  action: AuditAction;
  outcome: AuditOutcome;
  vmId?: number | null;
  vmName?: string | null;
  environmentId?: number | null;
  details?: Record<string, unknown>;
  at?: Date;
}

export interface AuditFilters {
  slackUserIds?: string[];
  actions?: string[];
  outcomes?: AuditOutcome[];
  vmName?: string;
  environment?: string;
  since?: Date;
  until?: Date;
}

export interface AuditEntryView {
  id: number;
  at: Date;
  action: string;
  outcome: AuditOutcome;
  source: AuditSource;
  slackUserId: string | null;
  userName: string | null;
  vmName: string | null;
  environment: string | null;
  details: Record<string, unknown> | null;
}

const cursorSchema = z.object({ at: z.string(), id: z.number().int() });
const EXPORT_BATCH = 1000;

export function auditRow(entry: AuditEntryInput): Prisma.AuditLogUncheckedCreateInput {
  return {
    userId: entry.actor?.userId ?? null,
    vmId: entry.vmId ?? null,
    vmName: entry.vmName ?? null,
    environmentId: entry.environmentId ?? null,
    action: entry.action,
    outcome: entry.outcome,
    source: entry.source,
    details: (entry.details ?? undefined) as Prisma.InputJsonValue | undefined,
    ...(entry.at ? { at: entry.at } : {}),
  };
}

export function createAuditService(prisma: PrismaClient) {
  async function record(entry: AuditEntryInput, db: Db = prisma): Promise<void> {
    await db.auditLog.create({ data: auditRow(entry) });
  }

  async function recordMany(entries: AuditEntryInput[], db: Db = prisma): Promise<void> {
    if (entries.length) await db.auditLog.createMany({ data: entries.map(auditRow) });
  }

  function whereOf(filters: AuditFilters): Prisma.AuditLogWhereInput {
    const where: Prisma.AuditLogWhereInput = {};
    if (filters.slackUserIds?.length) where.user = { slackUserId: { in: filters.slackUserIds } };
    if (filters.actions?.length) where.action = { in: filters.actions };
    if (filters.outcomes?.length) where.outcome = { in: filters.outcomes };
    if (filters.vmName) where.vmName = filters.vmName;
    if (filters.environment) where.environment = { name: filters.environment };
    if (filters.since || filters.until) where.at = { gte: filters.since, lte: filters.until };
    return where;
  }

  async function fetchPage(filters: AuditFilters, cursor: string | undefined, limit: number): Promise<Page<AuditEntryView>> {
    const after = decodeCursor(cursor, cursorSchema);
    const where = whereOf(filters);
    const rows = await prisma.auditLog.findMany({
      where: after
        ? { AND: [where, { OR: [{ at: { lt: new Date(after.at) } }, { at: new Date(after.at), id: { lt: after.id } }] }] }
        : where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: limit + 1,
      include: { user: { select: { slackUserId: true, displayName: true } }, environment: { select: { name: true } } },
    });
    const page = toPage(rows, limit, (row) => ({ at: row.at.toISOString(), id: row.id }));
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((row) => ({
        id: row.id,
        at: row.at,
        action: row.action,
        outcome: row.outcome,
        source: row.source,
        slackUserId: row.user?.slackUserId ?? null,
        userName: row.user?.displayName ?? null,
        vmName: row.vmName,
        environment: row.environment?.name ?? null,
        details: (row.details as Record<string, unknown> | null) ?? null,
      })),
    };
  }

  /** A page of the log, newest first. Viewing the log is itself audited (`view`). */
  async function query(ctx: RequestContext, filters: AuditFilters, options: { cursor?: string; limit?: number } = {}) {
    await guarded(ctx, "audit_view", { surface: "audit", filters: describeFilters(filters) });
    return fetchPage(filters, options.cursor, clampPageSize(options.limit, 20));
  }

  /** The filtered log as CSV, streamed in batches. */
  async function exportCsv(ctx: RequestContext, filters: AuditFilters): Promise<Readable> {
    await guarded(ctx, "audit_export", { filters: describeFilters(filters) }, "audit_exported");
    const csv = stringify({
      header: true,
      columns: ["at", "user_id", "user_name", "action", "outcome", "source", "vm", "environment", "details"],
    });
    const rows = Readable.from(exportRows(filters));
    rows.on("error", (error) => csv.destroy(error));
    return rows.pipe(csv);
  }

  async function* exportRows(filters: AuditFilters) {
    let cursor: string | undefined;
    do {
      const page = await fetchPage(filters, cursor, EXPORT_BATCH);
      for (const entry of page.items) {
        yield [
          entry.at.toISOString(),
          entry.slackUserId ?? "",
          entry.userName ?? "",
          entry.action,
          entry.outcome,
          entry.source,
          entry.vmName ?? "",
          entry.environment ?? "",
          entry.details ? JSON.stringify(entry.details) : "",
        ];
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  async function guarded(
    ctx: RequestContext,
    permission: "audit_view" | "audit_export",
    details: Record<string, unknown>,
    action: AuditAction = "view",
  ) {
    try {
      authorize(ctx.actor, permission);
    } catch (error) {
      await record({ actor: ctx.actor, source: ctx.source, action, outcome: "denied", details });
      throw error;
    }
    await record({ actor: ctx.actor, source: ctx.source, action, outcome: "succeeded", details });
  }

  return { record, recordMany, query, exportCsv };
}

function describeFilters(filters: AuditFilters): Record<string, unknown> {
  return {
    ...filters,
    since: filters.since?.toISOString(),
    until: filters.until?.toISOString(),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
