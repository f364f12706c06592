// What the executor needs from the shared concurrency machinery: an owner and a lease per run
// (services/operation-lease.ts: heartbeat, expiry, atomic takeover) and a claim on each VM before any
// cloud call (services/vm-claims.ts). Narrow types, so tests can see what the executor relies on.
import type { OperationLeases } from "../operation-lease.js";
import type { Db } from "../prisma-types.js";
import { claimVms, releaseVmClaims, type BusyVm, type VmClaim } from "../vm-claims.js";

export type ExecutionLeases = Pick<OperationLeases, "ownerId" | "leaseMs" | "initialLease" | "claimExpiry" | "renew" | "release" | "takeOver" | "expired">;

export interface VmClaims {
  /** Claims each VM that is free (or whose claim expired); returns the ids claimed and the ones busy. */
  claim(db: Db, vmIds: number[], claim: VmClaim & { operationId: number }): Promise<{ claimed: number[]; busy: BusyVm[] }>;
  /** Clears the claims the run still holds on these VMs. */
  release(db: Db, vmIds: number[], operationId: number): Promise<void>;
}

export const sharedVmClaims: VmClaims = {
  claim: (db, vmIds, claim) => claimVms(db, vmIds, claim),
  release: async (db, vmIds, operationId) => {
    await releaseVmClaims(db, vmIds, { operationId });
  },
};
