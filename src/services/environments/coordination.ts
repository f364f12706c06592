// What the executor needs from the shared concurrency machinery: an owner and a lease per execution
// (heartbeat + expiry, atomic takeover) and a claim per VM before any cloud call. The shapes are those
// of services/operation-lease.ts and services/vm-claims.ts (branch `concurrency`); until they are on
// main, `createInterimCoordination` provides the same semantics on the same columns. Swap = one import.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db, PrismaClient } from "../prisma-types.js";

export interface ExecutionLeases {
  readonly ownerId: string;
  /** Fields to write when creating an execution: its creator owns it. */
  initialLease(at?: Date): { ownerId: string; heartbeatAt: Date; leaseExpiresAt: Date };
  /** Heartbeat; false once another process took the execution over. */
  renew(operationId: number): Promise<boolean>;
  release(operationId: number, db?: Db): Promise<void>;
  /** One conditional update: true when the lease had expired (or was released) and this process now owns it. */
  takeOver(operationId: number): Promise<boolean>;
}

export interface VmClaimRequest {
  action: string;
  claimedById: number | null;
  operationId: number;
  at: Date;
  expiresAt: Date;
}

export interface VmClaims {
  /** Claims each VM that is free (or whose claim expired); returns the ids claimed and the names refused. */
  claim(db: Db, vmIds: number[], claim: VmClaimRequest): Promise<{ claimed: number[]; busy: { vmId: number; vmName: string; action: string }[] }>;
  /** Clears the claims the operation still holds on these VMs. */
  release(db: Db, vmIds: number[], operationId: number): Promise<void>;
}

export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export function createInterimCoordination(options: { prisma: PrismaClient; ownerId?: string; leaseMs?: number; claimTtlMs?: number; now?: () => Date }) {
  const { prisma } = options;
  const ownerId = options.ownerId ?? newOwnerId();
  const now = options.now ?? (() => new Date());
  const leaseMs = options.leaseMs ?? 60_000;
  const claimTtlMs = options.claimTtlMs ?? 30 * 60_000;
  const until = (ms: number, at: Date) => new Date(at.getTime() + ms);

  const leases: ExecutionLeases = {
    ownerId,
    initialLease: (at = now()) => ({ ownerId, heartbeatAt: at, leaseExpiresAt: until(leaseMs, at) }),
    async renew(operationId) {
      const at = now();
      const { count } = await prisma.operationExecution.updateMany({
        where: { id: operationId, ownerId, status: "running" },
        data: { heartbeatAt: at, leaseExpiresAt: until(leaseMs, at) },
      });
      if (count === 1) await prisma.vm.updateMany({ where: { claimOperationId: operationId }, data: { claimExpiresAt: until(claimTtlMs, at) } });
      return count === 1;
    },
    async release(operationId, db = prisma) {
      await db.operationExecution.updateMany({ where: { id: operationId, ownerId }, data: { leaseExpiresAt: null } });
    },
    async takeOver(operationId) {
      const at = now();
      const { count } = await prisma.operationExecution.updateMany({
        where: { id: operationId, status: "running", OR: [{ leaseExpiresAt: { lt: at } }, { leaseExpiresAt: null }] },
        data: { ownerId, heartbeatAt: at, leaseExpiresAt: until(leaseMs, at) },
      });
      return count === 1;
    },
  };

  const claims: VmClaims = {
    async claim(db, vmIds, claim) {
      const claimed: number[] = [];
      const refused: number[] = [];
      for (const vmId of vmIds) {
        const { count } = await db.vm.updateMany({
          where: { id: vmId, OR: [{ claimAction: null }, { claimExpiresAt: { lt: claim.at } }, { claimOperationId: claim.operationId }] },
          data: { claimAction: claim.action, claimedById: claim.claimedById, claimOperationId: claim.operationId, claimedAt: claim.at, claimExpiresAt: claim.expiresAt },
        });
        (count === 1 ? claimed : refused).push(vmId);
      }
      const holders = refused.length ? await db.vm.findMany({ where: { id: { in: refused } }, select: { id: true, name: true, claimAction: true } }) : [];
      return { claimed, busy: holders.map((vm) => ({ vmId: vm.id, vmName: vm.name, action: vm.claimAction ?? "work" })) };
    },
    async release(db, vmIds, operationId) {
      if (!vmIds.length) return;
      await db.vm.updateMany({
        where: { id: { in: vmIds }, claimOperationId: operationId },
        data: { claimAction: null, claimedById: null, claimOperationId: null, claimedAt: null, claimExpiresAt: null },
      });
    },
  };

  return { leases, claims, claimTtlMs };
}
