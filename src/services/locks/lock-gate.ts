// The one check every change to an environment's VMs passes (VM actions, snapshots, environment runs): while the
// environment is locked, only the holder and its admins (env admins there, global admins) may change it.
//
// Call `transactionUnlessLocked(...)` where you would call `prisma.$transaction(...)` for the transaction that
// claims the VMs. It first takes the environments' row locks (in id order, as the dependency guard does), so a
// lock acquired at the same moment is serialized with the claim: either the claim commits first, or it sees the
// lock. A refusal rolls the transaction back and is then audited `denied`, naming the holder.
import { serializeEnvironments } from "../environments/environment-row-lock.js";
import type { Actor } from "../actor.js";
import type { AuditAction, AuditSource } from "../audit-actions.js";
import type { AuditService } from "../audit-service.js";
import { can } from "../policy.js";
import type { Db, PrismaClient } from "../prisma-types.js";
import { EnvironmentLockedError, type LockView } from "./lock-model.js";

/** What is about to change: VMs (their environments are looked up) or one environment. */
export type LockedChange = { action: AuditAction; at: Date } & ({ vms: readonly { id: number; name: string }[] } | { environmentId: number });

type TransactionOptions = { maxWait?: number; timeout?: number };

/**
 * Who changes: a user, or the bot itself (`actor: null`: the drift correction, which yields to every lock VM
 * by VM inside its own claim hook, so one locked environment does not hold back the rest of its batch).
 */
export type Changer = { actor: Actor | null; source: AuditSource };


export const LOCK_VIEW_INCLUDE = { holder: { select: { id: true, slackUserId: true, displayName: true } }, environment: { select: { name: true } } } as const;

export function toLockView(row: {
  id: number;
  environmentId: number;
  reason: string | null;
  acquiredAt: Date;
  expiresAt: Date | null;
  holder: { id: number; slackUserId: string; displayName: string | null };
  environment: { name: string };
}): LockView {
  return {
    id: row.id,
    environmentId: row.environmentId,
    environment: row.environment.name,
    holder: { userId: row.holder.id, slackUserId: row.holder.slackUserId, displayName: row.holder.displayName },
    reason: row.reason,
    acquiredAt: row.acquiredAt,
    expiresAt: row.expiresAt,
  };
}

/** Locks in force (not expired) on these environments. */
export function activeLockWhere(environmentIds: readonly number[], at: Date) {
  return { environmentId: { in: [...environmentIds] }, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] };
}

async function environmentsOf(db: Db, change: LockedChange): Promise<number[]> {
  if ("environmentId" in change) return [change.environmentId];
  if (!change.vms.length) return [];
  const rows = await db.vm.findMany({ where: { id: { in: change.vms.map((vm) => vm.id) } }, select: { group: { select: { environmentId: true } } } });
  return [...new Set(rows.flatMap((row) => (row.group ? [row.group.environmentId] : [])))];
}

/** Throws EnvironmentLockedError when a lock held by someone else covers the change and the actor is no admin there. */
export async function assertMayChange(db: Db, ctx: Changer, change: LockedChange): Promise<void> {
  const environmentIds = await environmentsOf(db, change);
  if (!environmentIds.length) return;
  await serializeEnvironments(db, environmentIds);
  const actor = ctx.actor;
  if (!actor) return; // serialized with lock changes above; the bot's own caller decides VM by VM
  const locks = await db.environmentLock.findMany({ where: activeLockWhere(environmentIds, change.at), include: LOCK_VIEW_INCLUDE, orderBy: { environmentId: "asc" } });
  const blocking = locks.find((lock) => lock.holderId !== actor.userId && !can(actor, "lock_break", { environmentId: lock.environmentId }));
  if (blocking) throw new EnvironmentLockedError(toLockView(blocking), "change");
}

/** The refusal as audit rows: one per VM (or one for the environment), each naming the lock. */
function denials(ctx: Changer, change: LockedChange, lock: LockView) {
  const details = {
    lockedBy: lock.holder.slackUserId,
    lockedSince: lock.acquiredAt.toISOString(),
    lockedUntil: lock.expiresAt?.toISOString() ?? null,
    lockReason: lock.reason,
  };
  const base = { actor: ctx.actor, source: ctx.source, action: change.action, outcome: "denied" as const, environmentId: lock.environmentId, at: change.at };
  if ("environmentId" in change) return [{ ...base, details: { environment: lock.environment, ...details } }];
  return change.vms.map((vm) => ({ ...base, vmId: vm.id, vmName: vm.name, details }));
}

/**
 * `prisma.$transaction(work)` behind the lock check: refused (EnvironmentLockedError, audited `denied`) when
 * the change touches an environment someone else holds.
 */
export async function transactionUnlessLocked<T>(
  prisma: PrismaClient,
  audit: Pick<AuditService, "recordMany">,
  ctx: Changer,
  change: LockedChange,
  work: (tx: Db) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  try {
    return await prisma.$transaction(async (tx) => {
      await assertMayChange(tx, ctx, change);
      return work(tx);
    }, options);
  } catch (error) {
    // Recorded after the rollback: nothing changed, and the refusal stays on record.
    if (error instanceof EnvironmentLockedError && error.refused === "change") await audit.recordMany(denials(ctx, change, error.lock));
    throw error;
  }
}
