// The one place that claims a VM before acting on it, so two clicks (or two replicas) never both act.
//
// API (any work on a VM: power actions, snapshots, restores, environment steps):
//   claimVms(db, vmIds, claim)      -> { claimed: vmIds, busy: BusyVm[] }. One conditional update per VM
//                                      (free, or its claim expired); call it inside the transaction that
//                                      records the intent (audit `initiated`), before any cloud call.
//   releaseVmClaims(db, vmIds, holder) clears the claims `holder` still holds (never someone else's);
//                                      call it in the transaction that records the VM's outcome.
//   renewOperationClaims(db, operationId, expiresAt) extends an operation's claims (its heartbeat).
//   describeBusyVm(busy)             -> "web-01 is busy: start requested by alice at 10:02 UTC" (plain text;
//                                      the Slack edge formats the mention from the structured fields).
// `action` is the audit action of the work (vm_start, snapshot_restored, environment_start ...).
// On refusal, commit (record the refusal) rather than throw inside the transaction: the refusal is audited.
import type { Db } from "./prisma-types.js";

export interface VmClaim {
  action: string;
  claimedById: number | null;
  /** The persisted operation doing the work, when there is one: releases and renewals go by it. */
  operationId?: number | null;
  at: Date;
  expiresAt: Date;
}

/** Who releases: the operation that holds the claims, or (no operation) the claim's action and time. */
export type ClaimHolder = { operationId: number } | { action: string; claimedAt: Date };

/** A VM someone else is working on: what, who asked and since when. */
export interface BusyVm {
  vmId: number;
  vmName: string;
  action: string;
  claimedBy: { slackUserId: string; displayName: string | null } | null;
  claimedAt: Date | null;
  operationId: number | null;
}

const ACTION_WORDS: Record<string, string> = {
  vm_start: "start",
  vm_stop: "stop",
  reboot: "reboot",
  snapshot_created: "snapshot",
  snapshot_deleted: "snapshot deletion",
  snapshot_restored: "snapshot restore",
  environment_start: "environment start",
  environment_stop: "environment stop",
};

/** "start", "snapshot restore" ...: how people call the work in flight. */
export function describeClaimAction(action: string): string {
  return ACTION_WORDS[action] ?? action.replace(/_/g, " ");
}

export function describeBusyVm(busy: BusyVm): string {
  const who = busy.claimedBy ? ` by ${busy.claimedBy.displayName ?? busy.claimedBy.slackUserId}` : "";
  const when = busy.claimedAt ? ` at ${busy.claimedAt.toISOString().slice(11, 16)} UTC` : "";
  return `${busy.vmName} is busy: ${describeClaimAction(busy.action)} requested${who}${when}`;
}

export async function claimVms(db: Db, vmIds: number[], claim: VmClaim): Promise<{ claimed: number[]; busy: BusyVm[] }> {
  const claimed: number[] = [];
  const refused: number[] = [];
  for (const vmId of vmIds) {
    const { count } = await db.vm.updateMany({
      where: { id: vmId, OR: [{ claimAction: null }, { claimExpiresAt: { lt: claim.at } }] },
      data: {
        claimAction: claim.action,
        claimedById: claim.claimedById,
        claimOperationId: claim.operationId ?? null,
        claimedAt: claim.at,
        claimExpiresAt: claim.expiresAt,
      },
    });
    (count === 1 ? claimed : refused).push(vmId);
  }
  if (!refused.length) return { claimed, busy: [] };
  // Read only to word the refusal; the decision above was the atomic update.
  const holders = await db.vm.findMany({
    where: { id: { in: refused } },
    select: { id: true, name: true, claimAction: true, claimedAt: true, claimOperationId: true, claimedBy: { select: { slackUserId: true, displayName: true } } },
  });
  const busy = refused.map((vmId): BusyVm => {
    const vm = holders.find((holder) => holder.id === vmId);
    return {
      vmId,
      vmName: vm?.name ?? `#${vmId}`,
      action: vm?.claimAction ?? "work",
      claimedBy: vm?.claimedBy ?? null,
      claimedAt: vm?.claimedAt ?? null,
      operationId: vm?.claimOperationId ?? null,
    };
  });
  return { claimed, busy };
}

const CLEARED = { claimAction: null, claimedById: null, claimOperationId: null, claimedAt: null, claimExpiresAt: null };

export async function releaseVmClaims(db: Db, vmIds: number[], holder: ClaimHolder): Promise<number> {
  if (!vmIds.length) return 0;
  const held = "operationId" in holder ? { claimOperationId: holder.operationId } : { claimAction: holder.action, claimedAt: holder.claimedAt, claimOperationId: null };
  const { count } = await db.vm.updateMany({ where: { id: { in: vmIds }, ...held }, data: CLEARED });
  return count;
}

export async function renewOperationClaims(db: Db, operationId: number, expiresAt: Date): Promise<number> {
  const { count } = await db.vm.updateMany({ where: { claimOperationId: operationId }, data: { claimExpiresAt: expiresAt } });
  return count;
}
