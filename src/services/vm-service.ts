// VM inventory: filtered, cursor-paginated listing, details with recent history, and typeahead search.
import { z } from "zod";
import type { ProviderKind } from "../providers/cloud-provider.js";
import type { Dialect } from "../db/database.js";
import type { RequestContext } from "./actor.js";
import { PASSIVE_AUDIT_ACTIONS, type AuditService } from "./audit-service.js";
import { NotFoundError, VmBusyError } from "./errors.js";
import { authorizeOrAuditDenial, authorizeReadOrHide } from "./guard.js";
import { clampPageSize, decodeCursor, encodeCursor, toPage, type Page } from "./pagination.js";
import type { Prisma, PrismaClient } from "./prisma-types.js";
import { formatVmQuery, type VmFilters, type VmStatus } from "./vm-query.js";
import { scopeOfVm, visibleAuditWhere, visibleVmWhere } from "./visibility.js";
import type { Actor } from "./actor.js";

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
  /** The policy scope of the VM (null: in no environment, the global role applies). */
  environmentId: number | null;
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

/** Only the columns a summary shows: every row read is also mapped, field by field, by Prisma. */
export const vmSummarySelect = {
  id: true,
  name: true,
  status: true,
  statusMessage: true,
  provider: true,
  region: true,
  lastAction: true,
  lastActionAt: true,
  tags: { select: { key: true, value: true } },
  group: { select: { name: true, environmentId: true, environment: { select: { name: true } } } },
} satisfies Prisma.VmSelect;

type VmWithSummary = Prisma.VmGetPayload<{ select: typeof vmSummarySelect }>;

/** What a typeahead option shows of a VM: a summary without its tags (one query and 100 rows' mapping less). */
export type VmChoice = Omit<VmSummary, "tags">;
const { tags: _tags, ...vmChoiceSelect } = vmSummarySelect;

function toVmChoice(vm: Prisma.VmGetPayload<{ select: typeof vmChoiceSelect }>): VmChoice {
  const { tags: _none, ...choice } = toVmSummary({ ...vm, tags: [] });
  return choice;
}

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
    environmentId: vm.group?.environmentId ?? null,
    group: vm.group?.name ?? null,
  };
}

const cursorSchema = z.object({ name: z.string() });

export interface PageOptions {
  /** Continue after this cursor (from `nextCursor`). */
  cursor?: string;
  /** Or: the page that ends just before this VM name. */
  before?: string;
  limit?: number;
}

export interface VmPage extends Page<VmSummary> {
  /** Whether VMs sort before this page (a "Previous" control makes sense). */
  hasPrevious: boolean;
}

export type VmRef = { name: string } | { id: number };

export interface RemovedVm {
  name: string;
  provider: ProviderKind;
  providerResourceId: string;
  snapshotsKept: number;
}

export function createVmService(deps: { prisma: PrismaClient; dialect: Dialect; audit: AuditService }) {
  const { prisma, dialect, audit } = deps;
  const insensitive = dialect === "postgresql" ? ({ mode: "insensitive" } as const) : {};

  /** The filters, within what the actor may see. */
  function whereOf(actor: Actor, filters: VmFilters): Prisma.VmWhereInput {
    const and: Prisma.VmWhereInput[] = [visibleVmWhere(actor)];
    // SQLite's LIKE is already case-insensitive for ASCII; PostgreSQL needs to be told.
    if (filters.nameContains) and.push({ name: { contains: filters.nameContains, ...insensitive } });
    if (filters.statuses?.length) and.push({ status: { in: filters.statuses } });
    if (filters.providers?.length) and.push({ provider: { in: filters.providers } });
    for (const tag of filters.tags ?? []) {
      and.push({ tags: { some: tag.value === undefined ? { key: tag.key } : { key: tag.key, value: tag.value } } });
    }
    if (filters.environment) and.push({ group: { environment: { name: filters.environment } } });
    return { AND: and };
  }

  /**
   * Every read asks the policy for `vm_view`; a refusal is always audited (`denied`). `audited` also
   * records the look itself: an explicit look is a `view`, a re-render or a keystroke is not.
   */
  async function authorizeView(ctx: RequestContext, details: Record<string, unknown>, options: { audited: boolean; vm?: { id: number; name: string } }) {
    await authorizeOrAuditDenial(audit, ctx, "vm_view", viewEntry(details, options.vm));
    if (options.audited) await recordView(ctx, details, options.vm);
  }

  function viewEntry(details: Record<string, unknown>, vm?: { id: number; name: string }) {
    return { action: "view", vmId: vm?.id, vmName: vm?.name, details } as const;
  }

  /** The look itself, once allowed, as a `view` entry. */
  function recordView(ctx: RequestContext, details: Record<string, unknown>, vm?: { id: number; name: string }) {
    return audit.record({ ...viewEntry(details, vm), actor: ctx.actor, source: ctx.source, outcome: "succeeded" });
  }

  /**
   * One page of VMs ordered by name. Cursors are names (unique), so pages stay stable while VMs
   * come and go: `cursor` continues after a page, `before` goes back to the page preceding a name.
   */
  async function pageOf(actor: Actor, filters: VmFilters, options: PageOptions): Promise<VmPage> {
    const limit = clampPageSize(options.limit, 10);
    const where = whereOf(actor, filters);
    if (options.before !== undefined) {
      const rows = await prisma.vm.findMany({
        where: { AND: [where, { name: { lt: options.before } }] },
        orderBy: { name: "desc" },
        take: limit + 1,
        select: vmSummarySelect,
      });
      const items = rows.slice(0, limit).reverse();
      const hasPrevious = rows.length > limit;
      return { items: items.map(toVmSummary), hasPrevious, nextCursor: items.length ? encodeCursor({ name: items[items.length - 1]!.name }) : undefined };
    }
    const after = decodeCursor(options.cursor, cursorSchema);
    const rows = await prisma.vm.findMany({
      where: after ? { AND: [where, { name: { gt: after.name } }] } : where,
      orderBy: { name: "asc" },
      take: limit + 1,
      select: vmSummarySelect,
    });
    const page = toPage(rows, limit, (row) => ({ name: row.name }));
    return { nextCursor: page.nextCursor, items: page.items.map(toVmSummary), hasPrevious: !!after };
  }

  /** A page of the inventory with the total count, audited as a `view`. */
  async function listVms(ctx: RequestContext, filters: VmFilters, options: PageOptions = {}) {
    const details = { surface: "list", query: formatVmQuery(filters), page: options.cursor || options.before ? "other" : "first" };
    await authorizeView(ctx, details, { audited: false });
    // Allowed: the look is recorded while the page is read (the entry joins the next group commit), and
    // nothing is answered before it is written.
    const [, page, total] = await Promise.all([
      recordView(ctx, details),
      pageOf(ctx.actor, filters, options),
      prisma.vm.count({ where: whereOf(ctx.actor, filters) }),
    ]);
    return { ...page, total };
  }

  /** A page without the count, not audited as a look: for re-renders (a ticked checkbox, progress). */
  async function fetchPage(ctx: RequestContext, filters: VmFilters, options: PageOptions = {}): Promise<VmPage> {
    await authorizeView(ctx, { surface: "list", query: formatVmQuery(filters) }, { audited: false });
    return pageOf(ctx.actor, filters, options);
  }

  async function countVms(ctx: RequestContext, filters: VmFilters): Promise<number> {
    await authorizeView(ctx, { surface: "list", query: formatVmQuery(filters) }, { audited: false });
    return prisma.vm.count({ where: whereOf(ctx.actor, filters) });
  }

  /**
   * One VM with its recent history (the activity limited to the audit entries the reader may see);
   * `audited: false` for re-renders that show nothing new. A VM the reader may not see answers exactly
   * like an unknown one; the refusal is audited.
   */
  async function getVmDetail(ctx: RequestContext, ref: { name: string } | { id: number }, options = { audited: true }): Promise<VmDetail> {
    const notFound = () => new NotFoundError("name" in ref ? `No VM named "${ref.name}".` : "That VM no longer exists.");
    const vm = await prisma.vm.findUnique({
      where: "id" in ref ? { id: ref.id } : { name: ref.name },
      include: {
        tags: vmSummarySelect.tags,
        group: vmSummarySelect.group,
        dependsOn: { select: { dependsOn: { select: { name: true } } } },
        stateHistory: { orderBy: { at: "desc" }, take: 5 },
        auditEntries: { where: visibleAuditWhere(ctx.actor), orderBy: { at: "desc" }, take: 5, include: { user: { select: { slackUserId: true } } } },
        _count: { select: { snapshots: true } },
      },
    });
    if (!vm) {
      // Asked before "not found", so a refused reader learns nothing about which names exist.
      await authorizeView(ctx, { surface: "status", ref }, { audited: false });
      throw notFound();
    }
    const entry = { action: "view", vmId: vm.id, vmName: vm.name, details: { surface: "status" } } as const;
    await authorizeReadOrHide(audit, ctx, "vm_view", entry, scopeOfVm(vm), notFound);
    if (options.audited) await audit.record({ ...entry, actor: ctx.actor, source: ctx.source, outcome: "succeeded" });
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
   * Typeahead over what the actor may see: name fragments, `tag value`, or environment name.
   * A success is not audited (it runs on every keystroke and shows names only); a refusal is.
   */
  async function searchVms(ctx: RequestContext, text: string, limit = 100): Promise<VmChoice[]> {
    await authorizeView(ctx, { surface: "typeahead" }, { audited: false });
    const term = text.trim();
    const matches: Prisma.VmWhereInput = term
      ? {
          OR: [
            { name: { contains: term, ...insensitive } },
            { tags: { some: { value: { contains: term, ...insensitive } } } },
            { group: { environment: { name: { contains: term, ...insensitive } } } },
          ],
        }
      : {};
    const rows = await prisma.vm.findMany({ where: { AND: [visibleVmWhere(ctx.actor), matches] }, orderBy: { name: "asc" }, take: Math.min(limit, 100), select: vmChoiceSelect });
    return rows.map(toVmChoice);
  }

  async function getVmsByIds(ctx: RequestContext, ids: number[]): Promise<VmSummary[]> {
    await authorizeView(ctx, { surface: "selection" }, { audited: false });
    if (!ids.length) return [];
    const rows = await prisma.vm.findMany({ where: { AND: [visibleVmWhere(ctx.actor), { id: { in: ids } }] }, orderBy: { name: "asc" }, select: vmSummarySelect });
    return rows.map(toVmSummary);
  }

  /** Just the names of some VMs (a page's anchors, a selection's chips): one query, no relations. */
  async function getVmNamesByIds(ctx: RequestContext, ids: number[]): Promise<{ id: number; name: string }[]> {
    await authorizeView(ctx, { surface: "selection" }, { audited: false });
    if (!ids.length) return [];
    return prisma.vm.findMany({ where: { id: { in: ids } }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  }

  async function authorizedForRemoval(ctx: RequestContext, ref: VmRef) {
    const vm = await prisma.vm.findUnique({
      where: "id" in ref ? { id: ref.id } : { name: ref.name },
      include: { group: { select: { environmentId: true } }, _count: { select: { snapshots: true } } },
    });
    const entry = { action: "delete", vmId: vm?.id, vmName: vm?.name ?? ("name" in ref ? ref.name : null), environmentId: vm?.group?.environmentId } as const;
    await authorizeOrAuditDenial(audit, ctx, "vm_delete", entry);
    if (!vm) throw new NotFoundError("name" in ref ? `No VM named "${ref.name}".` : "That VM is no longer in the inventory.");
    return { vm, entry };
  }

  /**
   * What a confirmation before removing shows: the VM and what is kept. Asks the policy, so someone
   * who may not remove VMs is refused (and audited) before being asked to confirm.
   */
  async function previewRemoval(ctx: RequestContext, ref: VmRef): Promise<RemovedVm & { id: number; inFlight: string | null }> {
    const { vm } = await authorizedForRemoval(ctx, ref);
    return { id: vm.id, name: vm.name, provider: vm.provider, providerResourceId: vm.providerResourceId, snapshotsKept: vm._count.snapshots, inFlight: vm.claimAction };
  }

  /**
   * Removes a VM from the bot's inventory (admins). The cloud machine itself is left alone: the bot
   * manages power and snapshots, never the machine's existence. Its snapshots and state history stay
   * on record (their vmId becomes NULL). A VM with work in flight (a claim) is refused: the delete is
   * conditional on there being no claim, so it cannot slip in between a claim and its cloud call.
   */
  async function removeVm(ctx: RequestContext, ref: VmRef): Promise<RemovedVm> {
    const { vm, entry } = await authorizedForRemoval(ctx, ref);
    const details = { provider: vm.provider, providerResourceId: vm.providerResourceId, snapshotsKept: vm._count.snapshots };
    const removed = await prisma.$transaction(async (tx) => {
      // Free, or its claim expired (the work's owner died): the same rule as claiming it.
      const { count } = await tx.vm.deleteMany({ where: { id: vm.id, OR: [{ claimAction: null }, { claimExpiresAt: { lt: new Date() } }] } });
      if (count === 0) return false;
      // No vmId: the row is gone, and the entry would point at nothing; the name and ids stay in it.
      await audit.record({ ...entry, vmId: null, actor: ctx.actor, source: ctx.source, outcome: "succeeded", details }, tx);
      return true;
    });
    if (removed) return { name: vm.name, provider: vm.provider, providerResourceId: vm.providerResourceId, snapshotsKept: vm._count.snapshots };
    const current = await prisma.vm.findUnique({ where: { id: vm.id }, include: { claimedBy: { select: { displayName: true, slackUserId: true } } } });
    if (!current) throw new NotFoundError(`${vm.name} was already removed from the inventory.`);
    await audit.record({ ...entry, actor: ctx.actor, source: ctx.source, outcome: "failed", details: { ...details, reason: "busy", inFlight: current.claimAction } });
    throw new VmBusyError([
      {
        vmId: current.id,
        vmName: current.name,
        action: current.claimAction ?? "an action",
        claimedBy: current.claimedBy,
        claimedAt: current.claimedAt,
        operationId: current.claimOperationId,
      },
    ]);
  }

  /**
   * The VMs the actor acted on lately, most recent first, with what they last did and the VM's
   * current state (App Home). Not audited itself: the home records one `view` for the whole look.
   */
  async function recentlyActedOn(ctx: RequestContext, limit = 10): Promise<{ vm: VmSummary; action: string; at: Date }[]> {
    await authorizeView(ctx, { surface: "home" }, { audited: false });
    const entries = await prisma.auditLog.findMany({
      where: { userId: ctx.actor.userId, vmId: { not: null }, vm: visibleVmWhere(ctx.actor), action: { notIn: PASSIVE_AUDIT_ACTIONS } },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: 500, // enough to find `limit` distinct VMs for anyone but a script
      select: { vmId: true, action: true, at: true },
    });
    const latest = new Map<number, { action: string; at: Date }>();
    for (const entry of entries) {
      if (latest.size >= limit) break;
      if (entry.vmId !== null && !latest.has(entry.vmId)) latest.set(entry.vmId, { action: entry.action, at: entry.at });
    }
    const vms = await prisma.vm.findMany({ where: { id: { in: [...latest.keys()] } }, select: vmSummarySelect });
    const byId = new Map(vms.map((vm) => [vm.id, toVmSummary(vm)]));
    return [...latest].flatMap(([id, last]) => {
      const vm = byId.get(id);
      return vm ? [{ vm, ...last }] : []; // removed from the inventory since
    });
  }

  return { removeVm, previewRemoval, listVms, fetchPage, countVms, getVmDetail, searchVms, getVmsByIds, getVmNamesByIds, recentlyActedOn };
}

export type VmService = ReturnType<typeof createVmService>;
