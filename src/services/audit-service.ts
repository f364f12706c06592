// Append-only audit log: writing (inside the caller's transaction when there is one), filtered
// queries with cursor pagination, and a streaming CSV export that never holds the whole log in memory.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { z } from "zod";
import type { Actor } from "./actor.js";
import type { AuditAction, AuditOutcome, AuditSource } from "./audit-actions.js";
import { clampPageSize, decodeCursor, encodeCursor, toPage, type Page } from "./pagination.js";
import { ValidationError } from "./errors.js";
import { authorizeOrAuditDenial } from "./guard.js";
import { can, PLATFORM, type Scope } from "./policy.js";
import { visibleAuditWhere } from "./visibility.js";
import { createGroupCommit } from "./group-commit.js";
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

export interface AuditPage extends Page<AuditEntryView> {
  /** Pass as `before` to get the page of newer entries; absent on the newest page. */
  previousCursor?: string;
}

const cursorSchema = z.object({ at: z.string(), id: z.number().int() });
const entryInclude = { user: { select: { slackUserId: true, displayName: true } }, environment: { select: { name: true } } } satisfies Prisma.AuditLogInclude;
type AuditRow = Prisma.AuditLogGetPayload<{ include: typeof entryInclude }>;
/** Looking around and signing in: left out where the App Home lists what someone did. */
export const PASSIVE_AUDIT_ACTIONS: AuditAction[] = ["view", "login", "logout"];

function toEntryView(row: AuditRow): AuditEntryView {
  return {
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
  };
}

function cursorOf(entry: { at: Date; id: number }): string {
  return encodeCursor({ at: entry.at.toISOString(), id: entry.id });
}
const EXPORT_BATCH = 1000;
export const DEFAULT_EXPORT_MAX_ROWS = 1_000_000;
const EXPORT_COLUMNS = ["at", "user_id", "user_name", "action", "outcome", "source", "vm", "environment", "details"];

/** The finished CSV, ready to hand to an upload. */
export interface AuditExportFile {
  /** Entries in it (the header line not counted). */
  rows: number;
  /** Its exact size, which an upload must announce before sending. */
  bytes: number;
  /** A fresh stream of its bytes on each call, so a failed upload can be tried elsewhere. */
  open(): Readable;
}

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab or CR before them) as a formula; display
 * names and VM names are user-controlled. A leading ' makes the cell text.
 */
export function escapeFormulaCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * Entries a read selects: the filters, within what the reader may see (`visible`, from visibleAuditWhere),
 * and for an export bounded by the newest id when it began so the count and the file agree.
 */
type ScopedFilters = AuditFilters & { visible: Prisma.AuditLogWhereInput; upToId?: number };

export function auditRow(entry: AuditEntryInput, at: Date): Prisma.AuditLogUncheckedCreateInput {
  return {
    userId: entry.actor?.userId ?? null,
    vmId: entry.vmId ?? null,
    vmName: entry.vmName ?? null,
    environmentId: entry.environmentId ?? null,
    action: entry.action,
    outcome: entry.outcome,
    source: entry.source,
    details: (entry.details ?? undefined) as Prisma.InputJsonValue | undefined,
    at: entry.at ?? at,
  };
}

/** Entries about a VM get its environment (from the VM's group) unless they name one: one query for a batch. */
async function withEnvironments(db: Db, entries: AuditEntryInput[]): Promise<AuditEntryInput[]> {
  const vmIds = [...new Set(entries.filter((entry) => entry.vmId != null && entry.environmentId == null).map((entry) => entry.vmId!))];
  if (!vmIds.length) return entries;
  const vms = await db.vm.findMany({ where: { id: { in: vmIds } }, select: { id: true, group: { select: { environmentId: true } } } });
  const environmentOf = new Map(vms.map((vm) => [vm.id, vm.group?.environmentId ?? null]));
  return entries.map((entry) => (entry.vmId != null && entry.environmentId == null ? { ...entry, environmentId: environmentOf.get(entry.vmId) ?? null } : entry));
}

export function createAuditService(prisma: PrismaClient, now: () => Date = () => new Date(), options: { exportMaxRows?: number } = {}) {
  const exportMaxRows = options.exportMaxRows ?? DEFAULT_EXPORT_MAX_ROWS;

  // Entries written on their own (not part of a caller's transaction) from concurrent requests are
  // grouped into one INSERT; each caller still waits for its own entry to be written.
  const ungrouped = async (entry: AuditEntryInput) => {
    const [complete] = await withEnvironments(prisma, [entry]);
    await prisma.auditLog.create({ data: auditRow(complete!, entry.at!) });
  };
  const grouped = createGroupCommit<AuditEntryInput>(async (entries) => {
    const complete = await withEnvironments(prisma, entries);
    await prisma.auditLog.createMany({ data: complete.map((entry) => auditRow(entry, entry.at!)) });
  }, ungrouped);

  async function record(entry: AuditEntryInput, db: Db = prisma): Promise<void> {
    // The time is the moment it was asked for, not when its group is written.
    if (db === prisma) return grouped.write({ ...entry, at: entry.at ?? now() });
    const [complete] = await withEnvironments(db, [entry]);
    await db.auditLog.create({ data: auditRow(complete!, now()) });
  }

  async function recordMany(entries: AuditEntryInput[], db: Db = prisma): Promise<void> {
    if (!entries.length) return;
    const complete = await withEnvironments(db, entries);
    await db.auditLog.createMany({ data: complete.map((entry) => auditRow(entry, now())) });
  }

  /**
   * Users and the environment are matched by id, looked up first: as a join, SQLite reads every entry
   * of the user and sorts them (a heavy user has 100,000s), and PostgreSQL cannot tell how common the
   * environment is and scans the time range; by id both walk the (userId, at) / (environmentId, at)
   * index newest first.
   */
  async function whereOf(filters: ScopedFilters): Promise<Prisma.AuditLogWhereInput> {
    const where: Prisma.AuditLogWhereInput = { AND: [filters.visible] };
    if (filters.upToId !== undefined) where.id = { lte: filters.upToId };
    if (filters.slackUserIds?.length) {
      const users = await prisma.user.findMany({ where: { slackUserId: { in: filters.slackUserIds } }, select: { id: true } });
      where.userId = { in: users.map((user) => user.id) };
    }
    if (filters.actions?.length) where.action = { in: filters.actions };
    if (filters.outcomes?.length) where.outcome = { in: filters.outcomes };
    if (filters.vmName) where.vmName = filters.vmName;
    if (filters.environment) {
      const environment = await prisma.environment.findUnique({ where: { name: filters.environment }, select: { id: true } });
      where.environmentId = { in: environment ? [environment.id] : [] };
    }
    if (filters.since || filters.until) where.at = { gte: filters.since, lte: filters.until };
    return where;
  }

  async function fetchPage(where: Prisma.AuditLogWhereInput, cursor: string | undefined, limit: number): Promise<Page<AuditEntryView>> {
    const after = decodeCursor(cursor, cursorSchema);
    const rows = await prisma.auditLog.findMany({
      // The redundant `at <= cursor` bound lets the planner start the index range at the cursor; with the
      // OR alone, SQLite scans from the newest entry down (seconds per page deep in a million-row log).
      where: after
        ? { AND: [where, { at: { lte: new Date(after.at) } }, { OR: [{ at: { lt: new Date(after.at) } }, { at: new Date(after.at), id: { lt: after.id } }] }] }
        : where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: limit + 1,
      include: entryInclude,
    });
    const page = toPage(rows, limit, (row) => ({ at: row.at.toISOString(), id: row.id }));
    return { nextCursor: page.nextCursor, items: page.items.map(toEntryView) };
  }

  /** The page of entries just newer than `cursor`; near the top, simply the newest page as it is now. */
  async function fetchPageBefore(where: Prisma.AuditLogWhereInput, cursor: string, limit: number): Promise<AuditPage> {
    const before = decodeCursor(cursor, cursorSchema)!;
    const rows = await prisma.auditLog.findMany({
      where: { AND: [where, { at: { gte: new Date(before.at) } }, { OR: [{ at: { gt: new Date(before.at) } }, { at: new Date(before.at), id: { gt: before.id } }] }] },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take: limit + 1,
      include: entryInclude,
    });
    if (rows.length <= limit) return fetchPage(where, undefined, limit);
    const items = rows.slice(0, limit).reverse().map(toEntryView);
    return { items, nextCursor: cursorOf(items[items.length - 1]!), previousCursor: cursorOf(items[0]!) };
  }

  /**
   * A page of the log, newest first: the first page, the one after `cursor` (older), or the one
   * before `before` (newer). Everyone active may look, but sees only their own entries and those of the
   * environments they administer (global admins: everything). Viewing the log is itself audited (`view`).
   */
  async function query(ctx: RequestContext, filters: AuditFilters, options: { cursor?: string; before?: string; limit?: number } = {}): Promise<AuditPage> {
    await authorizedLook(ctx, "audit_view_own", { surface: "audit", filters: describeFilters(filters) });
    const limit = clampPageSize(options.limit, 20);
    const where = await whereOf({ ...filters, visible: visibleAuditWhere(ctx.actor) });
    if (options.before) return fetchPageBefore(where, options.before, limit);
    const page = await fetchPage(where, options.cursor, limit);
    if (!options.cursor) return page;
    // Entries newer than this page exist (we came from there): those just before its first entry.
    return { ...page, previousCursor: page.items[0] ? cursorOf(page.items[0]) : options.cursor };
  }

  /**
   * The actor's own latest actions, for their App Home. Their own history needs no `audit_view`, only
   * to be let in at all (`vm_view`, as the home is a look at their VMs); the look is audited as a `view`.
   */
  async function recentForUser(ctx: RequestContext, limit = 10): Promise<AuditEntryView[]> {
    await authorizedLook(ctx, "vm_view", { surface: "home" });
    const rows = await prisma.auditLog.findMany({
      // Each action once, by what came of it (its `initiated` intent stays in the log).
      where: { userId: ctx.actor.userId, action: { notIn: PASSIVE_AUDIT_ACTIONS }, outcome: { not: "initiated" } },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: clampPageSize(limit, 10),
      include: entryInclude,
    });
    return rows.map(toEntryView);
  }

  /**
   * The filtered log as CSV, handed to `deliver` (the Slack upload) and deleted afterwards. It is
   * written to a temporary file one batch at a time: an upload must announce its byte length before
   * sending, and a file gives that length exactly in one pass over the log with flat memory (counting
   * first would read the log twice, and it may grow in between). Capped at `exportMaxRows` entries.
   * Recorded as `audit_exported` once delivered (`succeeded` with the row count), or `failed` with why.
   */
  async function exportCsv<T>(ctx: RequestContext, filters: AuditFilters, deliver: (file: AuditExportFile) => Promise<T>): Promise<T> {
    const described = { filters: describeFilters(filters) };
    const entry = { actor: ctx.actor, source: ctx.source, action: "audit_exported" } as const;
    const scope = await exportScope(filters);
    await authorizeOrAuditDenial({ recordMany }, ctx, "audit_export", { action: "audit_exported", environmentId: scope.environmentId, details: described }, undefined, scope);
    const scoped = { ...filters, visible: visibleAuditWhere(ctx.actor) };
    const newest = await prisma.auditLog.findFirst({ where: await whereOf(scoped), orderBy: { id: "desc" }, select: { id: true } });
    const bounded: ScopedFilters = { ...scoped, upToId: newest?.id ?? 0 };
    const directory = await mkdtemp(join(tmpdir(), "audit-export-"));
    try {
      const where = await whereOf(bounded);
      const selected = await prisma.auditLog.count({ where });
      if (selected > exportMaxRows) {
        throw new ValidationError(`Narrow the filter: it selects ${selected.toLocaleString("en-US")} entries, the limit is ${exportMaxRows.toLocaleString("en-US")}.`);
      }
      const path = join(directory, "audit-log.csv");
      let rows = 0;
      const counted = async function* () {
        for await (const row of exportRows(where)) {
          rows++;
          yield row.map(escapeFormulaCell);
        }
      };
      await pipeline(Readable.from(counted()), stringify({ header: true, columns: EXPORT_COLUMNS }), createWriteStream(path));
      const { size: bytes } = await stat(path);
      const delivered = await deliver({ rows, bytes, open: () => createReadStream(path) });
      await record({ ...entry, outcome: "succeeded", details: { ...described, rows, bytes } });
      return delivered;
    } catch (error) {
      await record({ ...entry, outcome: "failed", details: { ...described, reason: error instanceof Error ? error.message : String(error) } });
      throw error;
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  /**
   * An export of one environment (the environment filter) is asked in that environment, so its admins may
   * export it; any other export is a platform export (global admins).
   */
  async function exportScope(filters: AuditFilters): Promise<Scope> {
    if (!filters.environment) return PLATFORM;
    const environment = await prisma.environment.findUnique({ where: { name: filters.environment }, select: { id: true, name: true } });
    return environment ? { environmentId: environment.id, environmentName: environment.name } : PLATFORM;
  }

  /** Whether `exportCsv` would let the actor export these filters (the Slack layer's Export button). */
  async function mayExport(ctx: RequestContext, filters: AuditFilters): Promise<boolean> {
    return can(ctx.actor, "audit_export", await exportScope(filters));
  }

  async function* exportRows(where: Prisma.AuditLogWhereInput) {
    let cursor: string | undefined;
    do {
      const page = await fetchPage(where, cursor, EXPORT_BATCH);
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

  /** Asks the policy (a refusal is audited as `denied`), then records the look as a `view`. */
  async function authorizedLook(ctx: RequestContext, permission: "audit_view_own" | "vm_view", details: Record<string, unknown>) {
    await authorizeOrAuditDenial({ recordMany }, ctx, permission, { action: "view", details });
    await record({ actor: ctx.actor, source: ctx.source, action: "view", outcome: "succeeded", details });
  }

  return { record, recordMany, query, exportCsv, mayExport, recentForUser };
}

function describeFilters(filters: AuditFilters): Record<string, unknown> {
  return {
    ...filters,
    since: filters.since?.toISOString(),
    until: filters.until?.toISOString(),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
