// VM inventory: filtered, cursor-paginated listing, details with recent history, and typeahead search.
import { z } from "zod";
import type { ProviderKind } from "../providers/cloud-provider.js";
import type { Dialect } from "../db/database.js";
import type { RequestContext } from "./actor.js";
import type { AuditService } from "./audit-service.js";
import { NotFoundError } from "./errors.js";
import { clampPageSize, decodeCursor, toPage, type Page } from "./pagination.js";
import { authorize } from "./policy.js";
import type { Prisma, PrismaClient } from "./prisma-types.js";
import { formatVmQuery, type VmFilters, type VmStatus } from "./vm-query.js";

export interface VmSummary {
  id: number;
  name: string;
  status: VmStatus;
  statusMessage: string | null;
  provider: ProviderKind;
  region: string;
  tags: Record<string, string>;
  lastAction: string | null;
  lastActionAt: Date | null;
  environment: string | null;
  group: string | null;
}

export interface VmDetail extends VmSummary {
  providerResourceId: string;
  providerState: string | null;
  lastSyncedAt: Date | null;
  driftDetected: boolean;
  details: Record<string, unknown>;
  snapshotCount: number;
  dependsOn: string[];
  stateHistory: { at: Date; from: VmStatus | null; to: VmStatus; reason: string | null }[];
  recentActivity: { at: Date; action: string; outcome: string; slackUserId: string | null }[];
}

export const vmSummaryInclude = {
  tags: true,
  group: { select: { name: true, environment: { select: { name: true } } } },
} satisfies Prisma.VmInclude;

type VmWithSummary = Prisma.VmGetPayload<{ include: typeof vmSummaryInclude }>;

export function toVmSummary(vm: VmWithSummary): VmSummary {
  return {
    id: vm.id,
    name: vm.name,
    status: vm.status,
    statusMessage: vm.statusMessage,
    provider: vm.provider,
    region: vm.region,
    tags: Object.fromEntries(vm.tags.map((tag) => [tag.key, tag.value])),
    lastAction: vm.lastAction,
    lastActionAt: vm.lastActionAt,
    environment: vm.group?.environment.name ?? null,
    group: vm.group?.name ?? null,
  };
}

const cursorSchema = z.object({ name: z.string() });

export function createVmService(deps: { prisma: PrismaClient; dialect: Dialect; audit: AuditService }) {
  const { prisma, dialect, audit } = deps;
  const insensitive = dialect === "postgresql" ? ({ mode: "insensitive" } as const) : {};

  function whereOf(filters: VmFilters): Prisma.VmWhereInput {
    const and: Prisma.VmWhereInput[] = [];
    // SQLite's LIKE is already case-insensitive for ASCII; PostgreSQL needs to be told.
    if (filters.nameContains) and.push({ name: { contains: filters.nameContains, ...insensitive } });
    if (filters.statuses?.length) and.push({ status: { in: filters.statuses } });
    if (filters.providers?.length) and.push({ provider: { in: filters.providers } });
    for (const tag of filters.tags ?? []) {
      and.push({ tags: { some: tag.value === undefined ? { key: tag.key } : { key: tag.key, value: tag.value } } });
    }
    if (filters.environment) and.push({ group: { environment: { name: filters.environment } } });
    return and.length ? { AND: and } : {};
  }

  async function authorizeView(ctx: RequestContext, details: Record<string, unknown>, vm?: { id: number; name: string }) {
    try {
      authorize(ctx.actor, "vm_view");
    } catch (error) {
      await audit.record({ actor: ctx.actor, source: ctx.source, action: "view", outcome: "denied", vmId: vm?.id, vmName: vm?.name, details });
      throw error;
    }
    await audit.record({ actor: ctx.actor, source: ctx.source, action: "view", outcome: "succeeded", vmId: vm?.id, vmName: vm?.name, details });
  }

  /** One page of VMs ordered by name; the cursor is the last name seen, so pages stay stable under inserts. */
  async function fetchPage(filters: VmFilters, options: { cursor?: string; limit?: number } = {}): Promise<Page<VmSummary>> {
    const limit = clampPageSize(options.limit, 10);
    const after = decodeCursor(options.cursor, cursorSchema);
    const where = whereOf(filters);
    const rows = await prisma.vm.findMany({
      where: after ? { AND: [where, { name: { gt: after.name } }] } : where,
      orderBy: { name: "asc" },
      take: limit + 1,
      include: vmSummaryInclude,
    });
    const page = toPage(rows, limit, (row) => ({ name: row.name }));
    return { nextCursor: page.nextCursor, items: page.items.map(toVmSummary) };
  }

  /** A page of the inventory, audited as a `view`. */
  async function listVms(ctx: RequestContext, filters: VmFilters, options: { cursor?: string; limit?: number } = {}) {
    await authorizeView(ctx, { surface: "list", query: formatVmQuery(filters), page: options.cursor ? "next" : "first" });
    const [page, total] = await Promise.all([fetchPage(filters, options), prisma.vm.count({ where: whereOf(filters) })]);
    return { ...page, total };
  }

  async function countVms(filters: VmFilters): Promise<number> {
    return prisma.vm.count({ where: whereOf(filters) });
  }

  async function getVmDetail(ctx: RequestContext, name: string): Promise<VmDetail> {
    const vm = await prisma.vm.findUnique({
      where: { name },
      include: {
        ...vmSummaryInclude,
        dependsOn: { select: { dependsOn: { select: { name: true } } } },
        stateHistory: { orderBy: { at: "desc" }, take: 5 },
        auditEntries: { orderBy: { at: "desc" }, take: 5, include: { user: { select: { slackUserId: true } } } },
        _count: { select: { snapshots: true } },
      },
    });
    if (!vm) throw new NotFoundError(`No VM named "${name}".`);
    await authorizeView(ctx, { surface: "status" }, vm);
    return {
      ...toVmSummary(vm),
      providerResourceId: vm.providerResourceId,
      providerState: vm.providerState,
      lastSyncedAt: vm.lastSyncedAt,
      driftDetected: vm.driftDetected,
      details: (vm.details as Record<string, unknown> | null) ?? {},
      snapshotCount: vm._count.snapshots,
      dependsOn: vm.dependsOn.map((dependency) => dependency.dependsOn.name),
      stateHistory: vm.stateHistory.map((row) => ({ at: row.at, from: row.fromStatus, to: row.toStatus, reason: row.reason })),
      recentActivity: vm.auditEntries.map((row) => ({ at: row.at, action: row.action, outcome: row.outcome, slackUserId: row.user?.slackUserId ?? null })),
    };
  }

  /**
   * Typeahead over the whole inventory: name fragments, `tag value`, or environment name.
   * Not audited: it runs on every keystroke and shows names only.
   */
  async function searchVms(text: string, limit = 100): Promise<VmSummary[]> {
    const term = text.trim();
    const where: Prisma.VmWhereInput = term
      ? {
          OR: [
            { name: { contains: term, ...insensitive } },
            { tags: { some: { value: { contains: term, ...insensitive } } } },
            { group: { environment: { name: { contains: term, ...insensitive } } } },
          ],
        }
      : {};
    const rows = await prisma.vm.findMany({ where, orderBy: { name: "asc" }, take: Math.min(limit, 100), include: vmSummaryInclude });
    return rows.map(toVmSummary);
  }

  async function getVmsByIds(ids: number[]): Promise<VmSummary[]> {
    if (!ids.length) return [];
    const rows = await prisma.vm.findMany({ where: { id: { in: ids } }, orderBy: { name: "asc" }, include: vmSummaryInclude });
    return rows.map(toVmSummary);
  }

  return { listVms, fetchPage, countVms, getVmDetail, searchVms, getVmsByIds };
}

export type VmService = ReturnType<typeof createVmService>;
