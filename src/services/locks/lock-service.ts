// Environment locks: at most one per environment (the unique index on EnvironmentLock.environmentId decides,
// never a read-then-write), a queue of who waits next, reminders to long holders, and breaking by admins.
// Every change to an environment's lock or queue runs in one transaction that first takes the environment's
// row lock (the same serialization the VM claims use, lock-gate.ts), and writes its LockHistory row, its
// audit row and its notifications (outbox) in that transaction.
//
// When a lock frees (released, expired, broken) the first in the queue is offered it: a `lock_offered` DM
// with "Take the lock", held for LOCK_OFFER_MINUTES; meanwhile nobody else may take it. An offer that lapses
// drops its user from the queue and goes to the next in line.
import { environmentAdminIds } from "../access/environment-admins.js";
import type { RequestContext } from "../actor.js";
import type { AuditService } from "../audit-service.js";
import { NotFoundError, ValidationError } from "../errors.js";
import { authorizeOrAuditDenial } from "../guard.js";
import type { NotificationService } from "../notifications/notification-service.js";
import { environmentsWhere } from "../policy.js";
import type { Db, PrismaClient } from "../prisma-types.js";
import { serializeEnvironments } from "../environments/environment-row-lock.js";
import { activeLockWhere, LOCK_VIEW_INCLUDE, toLockView } from "./lock-gate.js";
import { EnvironmentLockedError, LockOfferedError, type LockEvent, type LockView, type MyLocks, type QueuePosition } from "./lock-model.js";

export interface LockSettings {
  /** A holder is reminded (Extend / Release) once per this many hours held (LOCK_WARNING_HOURS). */
  warningHours: number;
  /** How long the next in the queue has to take a freed lock (LOCK_OFFER_MINUTES). */
  offerMinutes: number;
}

const DEFAULTS: LockSettings = { warningHours: 4, offerMinutes: 15 };
/** Break reasons are read by the holder: at least a sentence fragment. */
export const MIN_BREAK_REASON = 10;
export const MAX_LOCK_REASON = 300;
/** Longest lock one request may ask for. */
export const MAX_LOCK_MS = 30 * 24 * 3600_000;
/** Many users may queue or lock at once (PostgreSQL pool): wait for a connection rather than fail after 2 s. */
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 60_000 };

type Environment = { id: number; name: string };
type Ending = { event: "released" | "expired" | "broken"; by: RequestContext | null; reason?: string };

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "P2002";
}

const who = (person: { displayName: string | null; slackUserId: string }) => person.displayName ?? person.slackUserId;
const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function createLockService(deps: { prisma: PrismaClient; audit: AuditService; notifications: Pick<NotificationService, "notify" | "resolve">; now?: () => Date; settings?: Partial<LockSettings> }) {
  const { prisma, audit, notifications } = deps;
  const now = deps.now ?? (() => new Date());
  const settings = { ...DEFAULTS, ...deps.settings };
  const warningMs = settings.warningHours * 3600_000;
  const offerMs = settings.offerMinutes * 60_000;

  async function environmentNamed(name: string): Promise<Environment> {
    const environment = await prisma.environment.findUnique({ where: { name }, select: { id: true, name: true } });
    if (!environment) throw new NotFoundError(`No environment named "${name}". \`/vm env list\` shows them.`);
    return environment;
  }

  function history(tx: Db, environment: Environment, event: LockEvent, userId: number | null, at: Date, reason?: string | null) {
    return tx.lockHistory.create({ data: { environmentId: environment.id, userId, event, reason: reason ?? null, at } });
  }

  function record(tx: Db, ctx: RequestContext | null, action: Parameters<AuditService["record"]>[0]["action"], environment: Environment, at: Date, details: Record<string, unknown>, outcome: "succeeded" | "failed" = "succeeded") {
    return audit.record({ actor: ctx?.actor ?? null, source: ctx?.source ?? "schedule", action, outcome, environmentId: environment.id, at, details: { environment: environment.name, ...details } }, tx);
  }

  /** Offers a free lock to the first in the queue, unless someone holds it or already has an offer. */
  async function offerNext(tx: Db, environment: Environment, at: Date): Promise<void> {
    if (await tx.environmentLock.findUnique({ where: { environmentId: environment.id }, select: { id: true } })) return;
    if (await tx.lockQueueEntry.findFirst({ where: { environmentId: environment.id, offerExpiresAt: { gt: at } }, select: { id: true } })) return;
    const next = await tx.lockQueueEntry.findFirst({ where: { environmentId: environment.id, offeredAt: null }, orderBy: [{ queuedAt: "asc" }, { id: "asc" }] });
    if (!next) return;
    const until = new Date(at.getTime() + offerMs);
    await tx.lockQueueEntry.update({ where: { id: next.id }, data: { offeredAt: at, offerExpiresAt: until } });
    await history(tx, environment, "offered", next.userId, at, `until ${until.toISOString()}`);
    await notifications.notify(
      {
        userId: next.userId,
        kind: "lock_offered",
        payload: {
          text: `The lock on ${environment.name} is free and yours to take: you are next in its queue.`,
          facts: { Environment: environment.name, "Offer holds until": utc(until) },
          actions: [{ verb: "lock_take", value: environment.name }],
        },
        link: { environment: environment.name },
        dedupeKey: `${offerKey(environment.id, next.id)}${at.getTime()}`,
      },
      tx,
    );
  }

  const offerKey = (environmentId: number, entryId: number) => `lock_offer:${environmentId}:${entryId}:`;
  const reminderKey = (lockId: number) => `lock_expiring:${lockId}:`;

  /** Ends a lock (the row is deleted); on record, the holder told when someone or something else ended it. */
  async function endLock(tx: Db, lock: LockView, environment: Environment, ending: Ending, at: Date): Promise<boolean> {
    const { count } = await tx.environmentLock.deleteMany({ where: { id: lock.id, ...(ending.event === "expired" ? { expiresAt: { lte: at } } : {}) } });
    if (count === 0) return false;
    const actorId = ending.by?.actor.userId ?? null;
    await history(tx, environment, ending.event, ending.event === "expired" ? lock.holder.userId : actorId, at, ending.reason ?? null);
    const details = { holder: lock.holder.slackUserId, since: lock.acquiredAt.toISOString(), ...(ending.reason ? { reason: ending.reason } : {}) };
    await record(tx, ending.by, ending.event === "released" ? "lock_released" : ending.event === "broken" ? "lock_broken" : "lock_expired", environment, at, details);
    if (ending.event === "broken" && ending.by) {
      await notifications.notify(
        {
          userId: lock.holder.userId,
          kind: "lock_broken",
          payload: { text: `${who(ending.by.actor)} broke your lock on ${environment.name}: ${ending.reason}`, facts: { Environment: environment.name, "Broken by": who(ending.by.actor), "Held since": utc(lock.acquiredAt) } },
          link: { environment: environment.name },
        },
        tx,
      );
    }
    if (ending.event === "expired") {
      await notifications.notify(
        { userId: lock.holder.userId, kind: "lock_released", payload: { text: `Your lock on ${environment.name} expired at ${utc(lock.expiresAt ?? at)} and was released.`, facts: { Environment: environment.name } }, link: { environment: environment.name } },
        tx,
      );
    }
    // Its admins learn it is free again (not whoever freed it).
    const admins = await environmentAdminIds(tx, environment.id, at, actorId ?? undefined);
    const how = ending.event === "expired" ? "the lock expired" : ending.event === "broken" ? `${who(ending.by!.actor)} broke the lock` : `${who(lock.holder)} released the lock`;
    await notifications.notify(
      admins.map((userId) => ({ userId, kind: "environment_unlocked" as const, payload: { text: `${environment.name} is unlocked: ${how}.`, facts: { Environment: environment.name, "Held by": who(lock.holder), Since: utc(lock.acquiredAt) } }, link: { environment: environment.name } })),
      tx,
    );
    await offerNext(tx, environment, at);
    return true;
  }

  /**
   * What time did to one environment, in the caller's transaction (after serializeEnvironments): an expired
   * lock ends, lapsed offers drop out of the queue, and a free lock is offered to the next in line.
   * Returns the offers that lapsed (their DMs are redrawn once the transaction committed).
   */
  async function settle(tx: Db, environment: Environment, at: Date): Promise<string[]> {
    const stale = await tx.environmentLock.findFirst({ where: { environmentId: environment.id, expiresAt: { lte: at } }, include: LOCK_VIEW_INCLUDE });
    if (stale) await endLock(tx, toLockView(stale), environment, { event: "expired", by: null }, at);
    const lapsed = await tx.lockQueueEntry.findMany({ where: { environmentId: environment.id, offerExpiresAt: { lte: at } }, include: { user: { select: { slackUserId: true } } } });
    const keys: string[] = [];
    for (const entry of lapsed) {
      const { count } = await tx.lockQueueEntry.deleteMany({ where: { id: entry.id, offerExpiresAt: { lte: at } } });
      if (!count) continue;
      keys.push(offerKey(environment.id, entry.id));
      await history(tx, environment, "unqueued", entry.userId, at, "offer lapsed");
      await audit.record({ actor: null, source: "schedule", action: "lock_unqueued", outcome: "succeeded", environmentId: environment.id, at, details: { environment: environment.name, user: entry.user.slackUserId, why: "offer lapsed" } }, tx);
    }
    await offerNext(tx, environment, at);
    return keys;
  }

  async function redrawOffers(keys: string[], resolution: string): Promise<void> {
    for (const key of keys) await notifications.resolve(key, resolution).catch(() => undefined);
  }

  /**
   * Takes the environment's lock for the actor (optionally until `durationMs` from now). Refused with
   * EnvironmentLockedError (someone holds it) or LockOfferedError (it is offered to the next in the queue).
   */
  async function acquire(ctx: RequestContext, name: string, options: { durationMs?: number; reason?: string } = {}): Promise<LockView> {
    const environment = await environmentNamed(name);
    await authorizeOrAuditDenial(audit, ctx, "lock_acquire", { action: "lock_acquired", environmentId: environment.id, details: { environment: environment.name } }, undefined, { environmentId: environment.id, environmentName: environment.name });
    const reason = options.reason?.trim() ? options.reason.trim().slice(0, MAX_LOCK_REASON) : null;
    if (options.durationMs !== undefined && (!(options.durationMs > 0) || options.durationMs > MAX_LOCK_MS)) throw new ValidationError("A lock lasts from a minute up to 30 days.");
    const me = ctx.actor.userId;
    let lapsedOffers: string[] = [];
    let outcome: { lock: LockView; offerKeys: string[] } | { offered: LockOfferedError };
    try {
      outcome = await prisma.$transaction(async (tx) => {
        await serializeEnvironments(tx, [environment.id]);
        const at = now();
        // An expired lock never blocks: it ends here, on record, as the expiry job would end it.
        lapsedOffers = await settle(tx, environment, at);
        const offer = await tx.lockQueueEntry.findFirst({ where: { environmentId: environment.id, userId: { not: me }, offerExpiresAt: { gt: at } }, include: { user: true } });
        if (offer) {
          await record(tx, ctx, "lock_acquired", environment, at, { result: "offered to the next in the queue", offeredTo: offer.user.slackUserId }, "failed");
          // Commit what settle() did; the refusal is thrown after.
          return { offered: new LockOfferedError(environment.name, { userId: offer.userId, slackUserId: offer.user.slackUserId, displayName: offer.user.displayName }, offer.offerExpiresAt!) };
        }
        const expiresAt = options.durationMs ? new Date(at.getTime() + options.durationMs) : null;
        // The unique index on environmentId decides who holds it; a second insert fails (P2002) and rolls back.
        const created = await tx.environmentLock.create({ data: { environmentId: environment.id, holderId: me, reason, acquiredAt: at, expiresAt }, include: LOCK_VIEW_INCLUDE });
        const queued = await tx.lockQueueEntry.findMany({ where: { environmentId: environment.id, userId: me }, select: { id: true } });
        await tx.lockQueueEntry.deleteMany({ where: { environmentId: environment.id, userId: me } });
        await history(tx, environment, "acquired", me, at, reason);
        await record(tx, ctx, "lock_acquired", environment, at, { reason, until: expiresAt?.toISOString() ?? null, ...(queued.length ? { fromQueue: true } : {}) });
        // The environment's admins learn who holds it (they answer for it and may break it).
        const admins = await environmentAdminIds(tx, environment.id, at, me);
        const until = expiresAt ? `until ${utc(expiresAt)}` : "with no end time";
        await notifications.notify(
          admins.map((userId) => ({
            userId,
            kind: "lock_acquired" as const,
            payload: { text: `${who(ctx.actor)} locked ${environment.name} ${until}${reason ? `: ${reason}` : "."}`, facts: { Environment: environment.name, Holder: who(ctx.actor) } },
            link: { environment: environment.name },
          })),
          tx,
        );
        return { lock: toLockView(created), offerKeys: queued.map((entry) => offerKey(environment.id, entry.id)) };
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw await lostTheRace(ctx, environment);
    }
    await redrawOffers(lapsedOffers, "The offer lapsed.");
    if ("offered" in outcome) throw outcome.offered;
    await redrawOffers(outcome.offerKeys, `You took the lock at ${utc(outcome.lock.acquiredAt)}.`);
    return outcome.lock;
  }

  /** The refusal of an acquire that found the lock taken: audited `failed`, naming the holder. */
  async function lostTheRace(ctx: RequestContext, environment: Environment): Promise<Error> {
    const at = now();
    const held = await prisma.environmentLock.findFirst({ where: { environmentId: environment.id }, include: LOCK_VIEW_INCLUDE });
    if (!held) {
      await record(prisma, ctx, "lock_acquired", environment, at, { result: "lost the race to a lock released since" }, "failed");
      return new ValidationError(`Someone took the lock on ${environment.name} a moment ago and has already released it: try again.`);
    }
    const lock = toLockView(held);
    await record(prisma, ctx, "lock_acquired", environment, at, { result: "locked", lockedBy: lock.holder.slackUserId, lockedSince: lock.acquiredAt.toISOString(), lockedUntil: lock.expiresAt?.toISOString() ?? null, lockReason: lock.reason }, "failed");
    return new EnvironmentLockedError(lock, "acquire");
  }

  /** The holder gives the lock back; the next in the queue is offered it. */
  async function release(ctx: RequestContext, name: string): Promise<void> {
    const environment = await environmentNamed(name);
    await authorizeOrAuditDenial(audit, ctx, "lock_acquire", { action: "lock_released", environmentId: environment.id, details: { environment: environment.name } }, undefined, { environmentId: environment.id, environmentName: environment.name });
    const { keys, lockId } = await prisma.$transaction(async (tx) => {
      await serializeEnvironments(tx, [environment.id]);
      const at = now();
      const lapsed = await settle(tx, environment, at);
      const held = await tx.environmentLock.findUnique({ where: { environmentId: environment.id }, include: LOCK_VIEW_INCLUDE });
      if (!held) throw new ValidationError(`${environment.name} is not locked.`);
      if (held.holderId !== ctx.actor.userId) {
        throw new ValidationError(`${environment.name} is locked by ${who(held.holder)}, not by you. An admin of the environment can break it: \`/vm env break ${environment.name} <reason>\`.`);
      }
      await endLock(tx, toLockView(held), environment, { event: "released", by: ctx }, at);
      return { keys: lapsed, lockId: held.id };
    }, TRANSACTION_OPTIONS);
    await redrawOffers(keys, "The offer lapsed.");
    await notifications.resolve(reminderKey(lockId), "You released the lock.").catch(() => undefined);
  }

  /** An admin of the environment (or a global admin) ends someone's lock; the holder is told who and why. */
  async function breakLock(ctx: RequestContext, name: string, reason: string): Promise<LockView> {
    const environment = await environmentNamed(name);
    await authorizeOrAuditDenial(audit, ctx, "lock_break", { action: "lock_broken", environmentId: environment.id, details: { environment: environment.name, reason } }, undefined, { environmentId: environment.id, environmentName: environment.name });
    const why = reason.trim();
    if (why.length < MIN_BREAK_REASON) throw new ValidationError(`Say why you break the lock (at least ${MIN_BREAK_REASON} characters): the holder reads it.`);
    const { broken, keys } = await prisma.$transaction(async (tx) => {
      await serializeEnvironments(tx, [environment.id]);
      const at = now();
      const lapsed = await settle(tx, environment, at);
      const held = await tx.environmentLock.findUnique({ where: { environmentId: environment.id }, include: LOCK_VIEW_INCLUDE });
      if (!held) throw new ValidationError(`${environment.name} is not locked.`);
      const lock = toLockView(held);
      await endLock(tx, lock, environment, { event: "broken", by: ctx, reason: why.slice(0, MAX_LOCK_REASON) }, at);
      return { broken: lock, keys: lapsed };
    }, TRANSACTION_OPTIONS);
    await redrawOffers(keys, "The offer lapsed.");
    await notifications.resolve(reminderKey(broken.id), `The lock was broken by ${who(ctx.actor)}.`).catch(() => undefined);
    return broken;
  }

  /** The holder keeps the lock longer: its end (if any) moves LOCK_WARNING_HOURS later, and the reminder clock restarts. */
  async function extend(ctx: RequestContext, name: string, durationMs = warningMs): Promise<LockView> {
    const environment = await environmentNamed(name);
    await authorizeOrAuditDenial(audit, ctx, "lock_acquire", { action: "lock_extended", environmentId: environment.id, details: { environment: environment.name } }, undefined, { environmentId: environment.id, environmentName: environment.name });
    const extended = await prisma.$transaction(async (tx) => {
      await serializeEnvironments(tx, [environment.id]);
      const at = now();
      const held = await tx.environmentLock.findFirst({ where: activeLockWhere([environment.id], at), include: LOCK_VIEW_INCLUDE });
      if (!held || held.holderId !== ctx.actor.userId) throw new ValidationError(`You do not hold the lock on ${environment.name}${held ? ` (${who(held.holder)} does)` : ""}.`);
      const expiresAt = held.expiresAt ? new Date(Math.max(held.expiresAt.getTime(), at.getTime()) + durationMs) : null;
      const updated = await tx.environmentLock.update({ where: { id: held.id }, data: { expiresAt, warnedAt: at }, include: LOCK_VIEW_INCLUDE });
      await history(tx, environment, "extended", ctx.actor.userId, at, expiresAt ? `until ${expiresAt.toISOString()}` : "no end time");
      await record(tx, ctx, "lock_extended", environment, at, { until: expiresAt?.toISOString() ?? null });
      return toLockView(updated);
    }, TRANSACTION_OPTIONS);
    await notifications.resolve(reminderKey(extended.id), extended.expiresAt ? `Extended until ${utc(extended.expiresAt)}.` : "Extended.").catch(() => undefined);
    return extended;
  }

  /** Joins the environment's queue (the lock must be held, or offered, by someone else). Returns the position. */
  async function queue(ctx: RequestContext, name: string, reason?: string): Promise<QueuePosition> {
    const environment = await environmentNamed(name);
    await authorizeOrAuditDenial(audit, ctx, "lock_acquire", { action: "lock_queued", environmentId: environment.id, details: { environment: environment.name } }, undefined, { environmentId: environment.id, environmentName: environment.name });
    const me = ctx.actor.userId;
    const { keys } = await prisma.$transaction(async (tx) => {
      await serializeEnvironments(tx, [environment.id]);
      const at = now();
      const lapsed = await settle(tx, environment, at);
      const held = await tx.environmentLock.findUnique({ where: { environmentId: environment.id }, select: { holderId: true } });
      const waiting = await tx.lockQueueEntry.count({ where: { environmentId: environment.id } });
      if (held?.holderId === me) throw new ValidationError(`You hold the lock on ${environment.name} already.`);
      if (!held && waiting === 0) throw new ValidationError(`${environment.name} is not locked: take it with \`/vm env lock ${environment.name}\`.`);
      const existing = await tx.lockQueueEntry.findUnique({ where: { environmentId_userId: { environmentId: environment.id, userId: me } } });
      if (!existing) {
        await tx.lockQueueEntry.create({ data: { environmentId: environment.id, userId: me, reason: reason?.trim().slice(0, MAX_LOCK_REASON) || null, queuedAt: at } });
        await history(tx, environment, "queued", me, at, reason ?? null);
        await record(tx, ctx, "lock_queued", environment, at, { reason: reason ?? null });
      }
      return { keys: lapsed };
    }, TRANSACTION_OPTIONS);
    await redrawOffers(keys, "The offer lapsed.");
    const position = (await positionsOf(me, environment.id))[0];
    if (!position) throw new ValidationError(`You are not in the queue for ${environment.name}.`);
    return position;
  }

  /** Leaves the queue; an offer the user had goes to the next in line. */
  async function unqueue(ctx: RequestContext, name: string): Promise<void> {
    const environment = await environmentNamed(name);
    const entryIds = await prisma.$transaction(async (tx) => {
      await serializeEnvironments(tx, [environment.id]);
      const at = now();
      const entries = await tx.lockQueueEntry.findMany({ where: { environmentId: environment.id, userId: ctx.actor.userId }, select: { id: true } });
      const { count } = await tx.lockQueueEntry.deleteMany({ where: { environmentId: environment.id, userId: ctx.actor.userId } });
      if (!count) throw new ValidationError(`You are not in the queue for ${environment.name}.`);
      await history(tx, environment, "unqueued", ctx.actor.userId, at, "left the queue");
      await record(tx, ctx, "lock_unqueued", environment, at, { why: "left the queue" });
      await offerNext(tx, environment, at);
      return entries.map((entry) => entry.id);
    }, TRANSACTION_OPTIONS);
    await redrawOffers(entryIds.map((id) => offerKey(environment.id, id)), "You left the queue.");
  }

  /** Queue positions of one user (all environments, or one). */
  async function positionsOf(userId: number, environmentId?: number): Promise<QueuePosition[]> {
    const mine = await prisma.lockQueueEntry.findMany({ where: { userId, ...(environmentId ? { environmentId } : {}) }, include: { environment: { select: { name: true } } }, orderBy: { environmentId: "asc" } });
    const at = now();
    return Promise.all(
      mine.map(async (entry) => ({
        environmentId: entry.environmentId,
        environment: entry.environment.name,
        position: 1 + (await prisma.lockQueueEntry.count({ where: { environmentId: entry.environmentId, OR: [{ queuedAt: { lt: entry.queuedAt } }, { queuedAt: entry.queuedAt, id: { lt: entry.id } }] } })),
        offeredUntil: entry.offerExpiresAt && entry.offerExpiresAt > at ? entry.offerExpiresAt : null,
      })),
    );
  }

  /** Locks in force on the environments the actor may see, oldest first. */
  async function listActive(ctx: RequestContext): Promise<LockView[]> {
    await authorizeOrAuditDenial(audit, ctx, "vm_view", { action: "view", details: { what: "locks" } });
    const visible = environmentsWhere(ctx.actor, "vm_view");
    const at = now();
    const rows = await prisma.environmentLock.findMany({
      where: { OR: [{ expiresAt: null }, { expiresAt: { gt: at } }], ...(visible === "all" ? {} : { environmentId: { in: visible } }) },
      include: LOCK_VIEW_INCLUDE,
      orderBy: { acquiredAt: "asc" },
    });
    return rows.map(toLockView);
  }

  /** The actor's locks and queue places (App Home). */
  async function mine(ctx: RequestContext): Promise<MyLocks> {
    const at = now();
    const held = await prisma.environmentLock.findMany({ where: { holderId: ctx.actor.userId, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] }, include: LOCK_VIEW_INCLUDE, orderBy: { acquiredAt: "asc" } });
    return { held: held.map(toLockView), queued: await positionsOf(ctx.actor.userId) };
  }

  /** Job `expire-locks`: expired locks released (`lock_expired`), lapsed offers passed on. Returns how many environments changed. */
  async function expireLocks(): Promise<number> {
    const at = now();
    const due = await prisma.environment.findMany({
      where: { OR: [{ lock: { expiresAt: { lte: at } } }, { lockQueue: { some: { offerExpiresAt: { lte: at } } } }] },
      select: { id: true, name: true },
      orderBy: { id: "asc" },
    });
    let changed = 0;
    for (const environment of due) {
      const keys = await prisma.$transaction(async (tx) => {
        await serializeEnvironments(tx, [environment.id]);
        return settle(tx, environment, now());
      }, TRANSACTION_OPTIONS);
      await redrawOffers(keys, "The offer lapsed.");
      changed++;
    }
    return changed;
  }

  /**
   * Job `remind-lock-holders`: a holder who has held a lock LOCK_WARNING_HOURS (since acquiring, or since the last
   * reminder or extension) gets one DM with Extend / Release. The conditional update on warnedAt lets one replica send it.
   */
  async function remindHolders(): Promise<number> {
    const at = now();
    const threshold = new Date(at.getTime() - warningMs);
    const due = await prisma.environmentLock.findMany({
      where: { OR: [{ expiresAt: null }, { expiresAt: { gt: at } }], AND: [{ OR: [{ warnedAt: null, acquiredAt: { lte: threshold } }, { warnedAt: { lte: threshold } }] }] },
      include: LOCK_VIEW_INCLUDE,
    });
    let reminded = 0;
    for (const row of due) {
      const lock = toLockView(row);
      const sent = await prisma.$transaction(async (tx) => {
        const { count } = await tx.environmentLock.updateMany({ where: { id: row.id, warnedAt: row.warnedAt }, data: { warnedAt: at } });
        if (!count) return false;
        const heldHours = Math.floor((at.getTime() - lock.acquiredAt.getTime()) / 3600_000);
        await notifications.notify(
          {
            userId: lock.holder.userId,
            kind: "lock_expiring",
            payload: {
              text: `You have held the lock on ${lock.environment} for ${heldHours} h. Still need it? Extend it, or release it for the others.`,
              facts: { Environment: lock.environment, Since: utc(lock.acquiredAt), ...(lock.expiresAt ? { Until: utc(lock.expiresAt) } : {}), ...(lock.reason ? { Why: lock.reason } : {}) },
              actions: [
                { verb: "lock_extend", value: lock.environment },
                { verb: "lock_release", value: lock.environment },
              ],
            },
            link: { environment: lock.environment },
            dedupeKey: `${reminderKey(lock.id)}${at.getTime()}`,
          },
          tx,
        );
        return true;
      });
      if (sent) reminded++;
    }
    return reminded;
  }

  return { acquire, release, breakLock, extend, queue, unqueue, listActive, mine, expireLocks, remindHolders, settings };
}

export type LockService = ReturnType<typeof createLockService>;
