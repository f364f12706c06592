// Who follows a running operation, and until when: an owner and a lease in the database, so replicas
// never fight over work and a crashed replica's work is picked up once (and only once) its lease ran out.
//
// API (any persisted OperationExecution: batches, environment runs ...):
//   leases.ownerId                     this process's id (made once in the composition root)
//   leases.initialLease()              fields to write when creating an operation: the creator owns it
//   leases.renew(id)                   heartbeat; false once another process took the operation over
//   leases.hold(id, onLost?)           renews every `heartbeatMs` until the returned stop() is called;
//                                      calls onLost (and stops) when the lease was lost
//   leases.release(id, db?)            clears the lease (the operation settled, or we stop following it)
//   leases.takeOver(id)                one atomic conditional update: true when the lease had expired and
//                                      this process now owns the operation
//   leases.expired(kinds)              running operations of these kinds whose lease ran out (candidates
//                                      for takeOver; each kind is resumed by the service that runs it)
// Renewing also extends the operation's VM claims (vm-claims.ts), so they live as long as its work.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db, PrismaClient } from "./prisma-types.js";
import { renewOperationClaims } from "./vm-claims.js";

export interface LeaseOptions {
  prisma: PrismaClient;
  ownerId: string;
  /** How long a lease holds without a heartbeat. */
  leaseMs?: number;
  /** How often a holder renews; well under leaseMs. */
  heartbeatMs?: number;
  /** How long an operation's VM claims hold past each heartbeat (a safety net if every replica dies). */
  claimTtlMs?: number;
  now?: () => Date;
}

export const DEFAULT_LEASE_MS = 60_000;

export function createOperationLeases(options: LeaseOptions) {
  const { prisma, ownerId } = options;
  const now = options.now ?? (() => new Date());
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(leaseMs / 4));
  const claimTtlMs = options.claimTtlMs ?? 30 * 60_000;
  const until = (ms: number, at = now()) => new Date(at.getTime() + ms);

  function initialLease(at = now()) {
    return { ownerId, heartbeatAt: at, leaseExpiresAt: until(leaseMs, at) };
  }

  /** Until when a claim taken now for an operation holds (renewed with the lease). */
  function claimExpiry(at = now()): Date {
    return until(claimTtlMs, at);
  }

  async function renew(operationId: number): Promise<boolean> {
    const at = now();
    const { count } = await prisma.operationExecution.updateMany({
      where: { id: operationId, ownerId, status: "running" },
      data: { heartbeatAt: at, leaseExpiresAt: until(leaseMs, at) },
    });
    if (count === 1) await renewOperationClaims(prisma, operationId, until(claimTtlMs, at));
    return count === 1;
  }

  function hold(operationId: number, onLost?: () => void): { stop(): void } {
    let stopped = false;
    const timer = setInterval(() => {
      renew(operationId).then(
        (held) => {
          if (held || stopped) return;
          stop();
          onLost?.();
        },
        () => undefined, // a failed heartbeat is retried at the next tick; the lease is generous
      );
    }, heartbeatMs);
    timer.unref?.();
    function stop() {
      stopped = true;
      clearInterval(timer);
    }
    return { stop };
  }

  async function release(operationId: number, db: Db = prisma): Promise<void> {
    await db.operationExecution.updateMany({ where: { id: operationId, ownerId }, data: { leaseExpiresAt: null } });
  }

  async function takeOver(operationId: number): Promise<boolean> {
    const at = now();
    const { count } = await prisma.operationExecution.updateMany({
      where: { id: operationId, status: "running", OR: [{ leaseExpiresAt: { lt: at } }, { leaseExpiresAt: null }] },
      data: { ownerId, heartbeatAt: at, leaseExpiresAt: until(leaseMs, at) },
    });
    if (count === 1) await renewOperationClaims(prisma, operationId, until(claimTtlMs, at));
    return count === 1;
  }

  async function expired(kinds: readonly string[]): Promise<number[]> {
    const rows = await prisma.operationExecution.findMany({
      where: { status: "running", kind: { in: [...kinds] }, OR: [{ leaseExpiresAt: { lt: now() } }, { leaseExpiresAt: null }] },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    return rows.map((row) => row.id);
  }

  return { ownerId, leaseMs, initialLease, claimExpiry, renew, hold, release, takeOver, expired };
}

export type OperationLeases = ReturnType<typeof createOperationLeases>;

/** A new owner id for this process: host, pid and a random tail (a reused pid is still a new owner). */
export function newProcessOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
