// Audit digests: what happened in a period (actions by user and type, failures and denials, environments
// started and stopped, locks held longest, drift), computed from the audit log and lock history. Knows
// nothing of Slack: the scheduled job hands in a `post` function. Each period and target is a stored
// AuditDigest row, inserted before posting (the unique period start refuses a second one) and marked
// posted after, so a digest is never lost (a failed or missed one is posted later) and never doubled.
import type { RequestContext } from "../actor.js";
import type { AuditOutcome } from "../audit-actions.js";
import { PASSIVE_AUDIT_ACTIONS, type AuditService } from "../audit-service.js";
import { authorizeOrAuditDenial } from "../guard.js";
import { PLATFORM } from "../policy.js";
import type { Prisma, PrismaClient } from "../prisma-types.js";
import type { DigestTarget } from "./digest-targets.js";
import { LOCK_HOLD_ENDS } from "../locks/lock-model.js";

export interface DigestPeriod {
  since: Date;
  until: Date;
  /** Only this environment's entries; all of them when absent. */
  environment?: string;
}

export interface DigestEntry {
  at: Date;
  action: string;
  outcome: AuditOutcome;
  slackUserId: string | null;
  userName: string | null;
  vmName: string | null;
  environment: string | null;
}

export interface LockHold {
  environment: string;
  slackUserId: string | null;
  userName: string | null;
  acquiredAt: Date;
  /** Absent while the lock is still held at the end of the period. */
  releasedAt?: Date;
  heldMs: number;
}

export interface AuditDigestContent extends DigestPeriod {
  totalActions: number;
  failed: number;
  denied: number;
  /** Failures and denials, newest first (at most PROBLEM_LIMIT). */
  problems: DigestEntry[];
  byUser: { slackUserId: string | null; userName: string | null; count: number }[];
  byAction: { action: string; count: number }[];
  environmentRuns: DigestEntry[];
  locks: LockHold[];
  driftCount: number;
  drift: DigestEntry[];
}

/** Sends a digest somewhere (the job: chat.postMessage) and returns the message's id. */
export type DigestPoster = (target: DigestTarget, content: AuditDigestContent) => Promise<{ ts: string }>;

const PROBLEM_LIMIT = 10;
const TOP_LIMIT = 10;
const LOCK_LIMIT = 5;
/** A lock acquired this long before the period may still be held during it. */
const LOCK_LOOKBACK_MS = 30 * 24 * 3600_000;
/** The first digest of a target covers the day before it. */
const FIRST_PERIOD_MS = 24 * 3600_000;
const POST_LEASE_MS = 5 * 60_000;
const ENVIRONMENT_ACTIONS = ["environment_start", "environment_stop"];

const entrySelect = {
  at: true,
  action: true,
  outcome: true,
  vmName: true,
  user: { select: { slackUserId: true, displayName: true } },
  environment: { select: { name: true } },
} satisfies Prisma.AuditLogSelect;
type EntryRow = Prisma.AuditLogGetPayload<{ select: typeof entrySelect }>;

function toEntry(row: EntryRow): DigestEntry {
  return {
    at: row.at,
    action: row.action,
    outcome: row.outcome,
    slackUserId: row.user?.slackUserId ?? null,
    userName: row.user?.displayName ?? null,
    vmName: row.vmName,
    environment: row.environment?.name ?? null,
  };
}

export interface DigestServiceDeps {
  prisma: PrismaClient;
  audit: AuditService;
  now?: () => Date;
}

export function createDigestService({ prisma, audit, now = () => new Date() }: DigestServiceDeps) {
  async function compute(period: DigestPeriod): Promise<AuditDigestContent> {
    const inPeriod: Prisma.AuditLogWhereInput = {
      at: { gte: period.since, lt: period.until },
      ...(period.environment ? { environment: { name: period.environment } } : {}),
    };
    const actions: Prisma.AuditLogWhereInput = { ...inPeriod, action: { notIn: PASSIVE_AUDIT_ACTIONS } };
    const problemsWhere: Prisma.AuditLogWhereInput = { ...inPeriod, outcome: { in: ["failed", "denied"] } };
    const driftWhere: Prisma.AuditLogWhereInput = { ...inPeriod, action: "state_drift_detected" };

    const [totalActions, byOutcome, problems, byUserRows, byActionRows, environmentRuns, driftCount, drift, locks] = await Promise.all([
      prisma.auditLog.count({ where: actions }),
      prisma.auditLog.groupBy({ by: ["outcome"], where: problemsWhere, _count: { _all: true } }),
      prisma.auditLog.findMany({ where: problemsWhere, orderBy: [{ at: "desc" }, { id: "desc" }], take: PROBLEM_LIMIT, select: entrySelect }),
      prisma.auditLog.groupBy({ by: ["userId"], where: actions, _count: { _all: true } }),
      prisma.auditLog.groupBy({ by: ["action"], where: actions, _count: { _all: true } }),
      prisma.auditLog.findMany({ where: { ...inPeriod, action: { in: ENVIRONMENT_ACTIONS } }, orderBy: [{ at: "asc" }, { id: "asc" }], take: TOP_LIMIT, select: entrySelect }),
      prisma.auditLog.count({ where: driftWhere }),
      prisma.auditLog.findMany({ where: driftWhere, orderBy: [{ at: "desc" }, { id: "desc" }], take: TOP_LIMIT, select: entrySelect }),
      longestLocks(period),
    ]);

    const userIds = byUserRows.map((row) => row.userId).filter((id): id is number => id !== null);
    const users = new Map((await prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, slackUserId: true, displayName: true } })).map((user) => [user.id, user]));
    const countOf = (outcome: AuditOutcome) => byOutcome.find((row) => row.outcome === outcome)?._count._all ?? 0;
    return {
      ...period,
      totalActions,
      failed: countOf("failed"),
      denied: countOf("denied"),
      problems: problems.map(toEntry),
      byUser: byUserRows
        .map((row) => {
          const user = row.userId === null ? undefined : users.get(row.userId);
          return { slackUserId: user?.slackUserId ?? null, userName: user?.displayName ?? null, count: row._count._all };
        })
        .sort((a, b) => b.count - a.count || String(a.userName ?? a.slackUserId).localeCompare(String(b.userName ?? b.slackUserId)))
        .slice(0, TOP_LIMIT),
      byAction: byActionRows
        .map((row) => ({ action: row.action, count: row._count._all }))
        .sort((a, b) => b.count - a.count || a.action.localeCompare(b.action))
        .slice(0, TOP_LIMIT),
      environmentRuns: environmentRuns.map(toEntry),
      driftCount,
      drift: drift.map(toEntry),
      locks,
    };
  }

  /** Holds (acquired, then released/broken/expired) that overlap the period, longest first. */
  async function longestLocks(period: DigestPeriod): Promise<LockHold[]> {
    const events = await prisma.lockHistory.findMany({
      where: {
        at: { gte: new Date(period.since.getTime() - LOCK_LOOKBACK_MS), lt: period.until },
        ...(period.environment ? { environment: { name: period.environment } } : {}),
      },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      select: { environmentId: true, event: true, at: true, environment: { select: { name: true } }, user: { select: { slackUserId: true, displayName: true } } },
    });
    const open = new Map<number, (typeof events)[number]>();
    const holds: LockHold[] = [];
    const hold = (start: (typeof events)[number], releasedAt?: Date): void => {
      const end = releasedAt ?? period.until;
      if (end.getTime() < period.since.getTime()) return;
      holds.push({
        environment: start.environment.name,
        slackUserId: start.user?.slackUserId ?? null,
        userName: start.user?.displayName ?? null,
        acquiredAt: start.at,
        ...(releasedAt ? { releasedAt } : {}),
        heldMs: end.getTime() - start.at.getTime(),
      });
    };
    for (const event of events) {
      const started = open.get(event.environmentId);
      if (event.event === "acquired") {
        if (started) hold(started, event.at); // re-acquired without a release on record: the earlier hold ended here
        open.set(event.environmentId, event);
      } else if (started && LOCK_HOLD_ENDS.has(event.event)) {
        // extended / queued / offered leave the hold running
        hold(started, event.at);
        open.delete(event.environmentId);
      }
    }
    for (const started of open.values()) hold(started);
    return holds.sort((a, b) => b.heldMs - a.heldMs).slice(0, LOCK_LIMIT);
  }

  /**
   * `/vm audit digest`: the digest of `since` until now for the caller. One environment's digest needs
   * `audit_view_environment` there (its admins); the whole platform's needs `audit_view_platform`.
   */
  async function digestFor(ctx: RequestContext, request: { since: Date; environment?: string }): Promise<AuditDigestContent> {
    const details = { surface: "audit_digest", since: request.since.toISOString(), ...(request.environment ? { environment: request.environment } : {}) };
    const environment = request.environment ? await prisma.environment.findUnique({ where: { name: request.environment }, select: { id: true, name: true } }) : null;
    const [permission, scope] = environment
      ? (["audit_view_environment", { environmentId: environment.id, environmentName: environment.name }] as const)
      : (["audit_view_platform", PLATFORM] as const);
    await authorizeOrAuditDenial(audit, ctx, permission, { action: "view", environmentId: environment?.id ?? null, details }, undefined, scope);
    await audit.record({ actor: ctx.actor, source: ctx.source, action: "view", outcome: "succeeded", details });
    return compute({ since: request.since, until: now(), ...(request.environment ? { environment: request.environment } : {}) });
  }

  /**
   * Stores the period ending at `tick` for each target (from where its last digest ended), then posts
   * every period not yet posted: this one, a missed one, a failed one. Each post is claimed first, so two
   * processes never post the same period. Throws after trying all when any post failed.
   */
  async function postDueDigests(input: { tick: Date; targets: DigestTarget[]; post: DigestPoster }): Promise<number> {
    for (const target of input.targets) await openPeriod(target, input.tick);
    return postPending(input.targets, input.post);
  }

  async function openPeriod(target: DigestTarget, periodEnd: Date): Promise<void> {
    const last = await prisma.auditDigest.findFirst({ where: { target: target.key }, orderBy: { periodEnd: "desc" } });
    if (last && last.periodEnd.getTime() >= periodEnd.getTime()) return;
    const periodStart = last?.periodEnd ?? new Date(periodEnd.getTime() - FIRST_PERIOD_MS);
    try {
      await prisma.auditDigest.create({ data: { target: target.key, channel: target.channel, environment: target.environment ?? null, periodStart, periodEnd } });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error; // another process stored this period first
    }
  }

  /** Posts the stored periods not yet posted (also what the retry job runs between digest ticks). */
  async function postPending(targets: DigestTarget[], post: DigestPoster): Promise<number> {
    const ownerId = `digest:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
    const claimable = (at: Date): Prisma.AuditDigestWhereInput => ({
      OR: [{ status: { in: ["pending", "failed"] } }, { status: "posting", leaseExpiresAt: { lt: at } }],
    });
    const failures: string[] = [];
    let posted = 0;
    for (const target of targets) {
      const due = await prisma.auditDigest.findMany({ where: { target: target.key, ...claimable(now()) }, orderBy: { periodStart: "asc" } });
      for (const row of due) {
        const at = now();
        const { count } = await prisma.auditDigest.updateMany({
          where: { id: row.id, ...claimable(at) },
          data: { status: "posting", ownerId, leaseExpiresAt: new Date(at.getTime() + POST_LEASE_MS), attempts: { increment: 1 } },
        });
        if (count === 0) continue; // another process is posting it
        try {
          const content = await compute({ since: row.periodStart, until: row.periodEnd, ...(target.environment ? { environment: target.environment } : {}) });
          const { ts } = await post(target, content);
          await prisma.auditDigest.updateMany({ where: { id: row.id, ownerId }, data: { status: "posted", messageTs: ts, postedAt: now(), error: null, leaseExpiresAt: null } });
          posted++;
        } catch (error) {
          const message = String((error as Error)?.message ?? error).slice(0, 500);
          failures.push(`${target.key}: ${message}`);
          await prisma.auditDigest.updateMany({ where: { id: row.id, ownerId }, data: { status: "failed", error: message, leaseExpiresAt: null } });
        }
      }
    }
    if (failures.length) throw new Error(`${failures.length} digest(s) not posted (retried later): ${failures.join("; ")}`);
    return posted;
  }

  return { compute, digestFor, postDueDigests, postPending };
}

export type DigestService = ReturnType<typeof createDigestService>;
