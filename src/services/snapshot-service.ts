// Snapshots: create, list (refreshed from the cloud), delete, and restore. Restoring a running VM
// stops it first and starts it again afterwards, so it ends in the state it had. Creating, deleting
// and restoring claim the VM first (vm-claims.ts) and record the intent (`initiated`) in the same
// transaction, then the outcome with the claim's release.
import { waitUntil } from "../providers/wait-until.js";
import { CloudProviderError, type CloudProvider, type ProviderRegistry } from "../providers/cloud-provider.js";
import type { RequestContext } from "./actor.js";
import type { AuditService } from "./audit-service.js";
import type { AuditAction } from "./audit-actions.js";
import { ConflictError, DomainError, NotFoundError, ValidationError, VmBusyError } from "./errors.js";
import { authorizeOrAuditDenial, authorizeReadOrHide } from "./guard.js";
import type { Permission, Scope } from "./policy.js";
import { scopeOfVm, vmScopeSelect } from "./visibility.js";
import type { Db, PrismaClient } from "./prisma-types.js";
import { claimVms, describeBusyVm, releaseVmClaims, type ClaimHolder } from "./vm-claims.js";
import { describeProviderError, providerErrorDetails } from "./provider-errors.js";
import { changeVmStatus, recordObservedState } from "./vm-state.js";
import { transactionUnlessLocked } from "./locks/lock-gate.js";
import type { Vm } from "../generated/sqlite/client.js";

export type SnapshotStatus = "creating" | "available" | "restoring" | "deleting" | "error";

export interface SnapshotView {
  id: number;
  vmId: number;
  vmName: string;
  name: string;
  status: SnapshotStatus;
  sizeGb: number | null;
  createdAt: Date;
  createdBy: string | null;
}

export type RestoreStep = "stopping" | "restoring" | "starting" | "done";

export interface RestoreProgress {
  step: RestoreStep;
  vmName: string;
  snapshotName: string;
}

export class CloudActionError extends DomainError {}

/** What a snapshot may be called; the Slack modal checks it too, to show the error on the field. */
export const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** How long a snapshot create/delete claim holds if its process dies mid-call (normally released at once). */
const QUICK_CLAIM_MS = 5 * 60_000;

export function defaultSnapshotName(vmName: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  return `${vmName}-${stamp}`.slice(0, 80);
}

export function createSnapshotService(deps: {
  prisma: PrismaClient;
  providers: ProviderRegistry;
  audit: AuditService;
  now?: () => Date;
  pollIntervalMs?: number;
  timeoutMs?: number;
}) {
  const { prisma, providers, audit } = deps;
  const now = deps.now ?? (() => new Date());
  const waitOptions = () => ({ pollIntervalMs: deps.pollIntervalMs ?? 2000, timeoutMs: deps.timeoutMs ?? 30 * 60_000 });

  /** Asks the policy in the scope of the VM's environment (none: the platform). */
  function guard(ctx: RequestContext, permission: Permission, action: AuditAction, vm: { id: number; name: string; scope: Scope }, details: Record<string, unknown>) {
    return authorizeOrAuditDenial(audit, ctx, permission, { action, vmId: vm.id, vmName: vm.name, details }, undefined, vm.scope);
  }

  /**
   * Claims the VM for `action` and records the intent in one transaction, before any cloud call.
   * Refuses (audited as failed) with VmBusyError when other work holds the VM.
   */
  async function begin(ctx: RequestContext, action: AuditAction, vm: { id: number; name: string }, details: Record<string, unknown>, ttlMs: number): Promise<ClaimHolder> {
    const at = now();
    const entry = { actor: ctx.actor, source: ctx.source, action, vmId: vm.id, vmName: vm.name, at };
    // A refusal commits (no rollback: on SQLite that would undo this process's other writes meanwhile).
    const busy = await transactionUnlessLocked(
      prisma,
      audit,
      ctx,
      { action, vms: [vm], at },
      async (tx) => {
        const claim = await claimVms(tx, [vm.id], { action, claimedById: ctx.actor.userId, at, expiresAt: new Date(at.getTime() + ttlMs) });
        const refusal = claim.busy.map(describeBusyVm).join("; ");
        await audit.record({ ...entry, ...(claim.busy.length ? { outcome: "failed", details: { ...details, result: "busy", message: refusal } } : { outcome: "initiated", details }) }, tx);
        return claim.busy;
      },
      { maxWait: 15_000 }, // a burst of clicks queues for a connection rather than failing
    );
    if (busy.length) throw new VmBusyError(busy);
    return { action, claimedAt: at };
  }

  /** The outcome's audit row and the claim's release, in the caller's transaction. */
  async function finish(db: Db, ctx: RequestContext, holder: ClaimHolder, action: AuditAction, vm: { id: number; name: string }, outcome: "succeeded" | "failed", details: Record<string, unknown>) {
    await releaseVmClaims(db, [vm.id], holder);
    await audit.record({ actor: ctx.actor, source: ctx.source, action, outcome, vmId: vm.id, vmName: vm.name, details }, db);
  }

  const noVmNamed = (name: string) => new NotFoundError(`No VM named "${name}".`);

  /** The VM and its policy scope. */
  async function findVm(name: string): Promise<Vm & { scope: Scope }> {
    const row = await prisma.vm.findUnique({ where: { name }, include: vmScopeSelect });
    if (!row) throw noVmNamed(name);
    const { group: _group, ...vm } = row;
    return { ...vm, scope: scopeOfVm(row) };
  }

  async function findSnapshot(id: number) {
    const snapshot = await prisma.snapshot.findUnique({ where: { id }, include: { vm: { include: vmScopeSelect } } });
    if (!snapshot) throw new NotFoundError("That snapshot no longer exists.");
    const { vm: row, vmId } = snapshot;
    if (!row || vmId === null) throw new NotFoundError(`${snapshot.name} belongs to a VM that was removed from the inventory.`);
    const { group: _group, ...vm } = row;
    return { ...snapshot, vm: { ...vm, scope: scopeOfVm(row) }, vmId };
  }

  async function fail(ctx: RequestContext, holder: ClaimHolder, action: AuditAction, vm: Vm, details: Record<string, unknown>, error: unknown): Promise<never> {
    const message = describeProviderError(error);
    const providerError = providerErrorDetails(error);
    await prisma.$transaction((tx) => finish(tx, ctx, holder, action, vm, "failed", { ...details, message, ...(providerError ? { providerError } : {}) }));
    throw error instanceof DomainError ? error : new CloudActionError(message);
  }

  async function createSnapshot(ctx: RequestContext, vmName: string, requestedName?: string): Promise<SnapshotView> {
    const vm = await findVm(vmName);
    const name = requestedName?.trim() || defaultSnapshotName(vm.name, now());
    await guard(ctx, "snapshot_create", "snapshot_created", vm, { snapshot: name });
    if (!SNAPSHOT_NAME.test(name)) {
      throw new ValidationError("Snapshot names are 1-80 letters, digits, dots, dashes or underscores, starting with a letter or digit.");
    }
    const holder = await begin(ctx, "snapshot_created", vm, { snapshot: name }, QUICK_CLAIM_MS);
    let cloudSnapshot;
    try {
      cloudSnapshot = await providers.get(vm.provider).createSnapshot(vm.providerResourceId, name);
    } catch (error) {
      return fail(ctx, holder, "snapshot_created", vm, { snapshot: name }, error);
    }
    const snapshot = await prisma.$transaction(async (tx) => {
      const created = await tx.snapshot.create({
        data: {
          vmId: vm.id,
          createdById: ctx.actor.userId,
          name,
          providerSnapshotId: cloudSnapshot.snapshotId,
          status: cloudSnapshot.state,
          sizeGb: cloudSnapshot.sizeGb ?? null,
        },
      });
      await finish(tx, ctx, holder, "snapshot_created", vm, "succeeded", { snapshot: name, snapshotId: created.id });
      return created;
    });
    return { id: snapshot.id, vmId: vm.id, vmName: vm.name, name, status: snapshot.status, sizeGb: snapshot.sizeGb, createdAt: snapshot.createdAt, createdBy: ctx.actor.slackUserId };
  }

  /** Asks the cloud about snapshots still in transition and writes back what it says. */
  async function refreshTransitional(vmId: number) {
    const vm = await prisma.vm.findUnique({ where: { id: vmId }, select: { provider: true } });
    if (!vm) return;
    const pending = await prisma.snapshot.findMany({ where: { vmId, status: { in: ["creating", "restoring", "deleting"] } } });
    for (const snapshot of pending) {
      if (!snapshot.providerSnapshotId) continue;
      try {
        const cloud = await providers.get(vm.provider).describeSnapshot(snapshot.providerSnapshotId);
        await prisma.snapshot.update({
          where: { id: snapshot.id },
          data: { status: cloud.state, sizeGb: cloud.sizeGb ?? snapshot.sizeGb, ...(cloud.state === "available" && !snapshot.completedAt ? { completedAt: now() } : {}) },
        });
      } catch (error) {
        if (snapshot.status === "deleting" && error instanceof CloudProviderError && !error.retryable) {
          await prisma.snapshot.delete({ where: { id: snapshot.id } }); // gone from the cloud: deletion finished
        }
      }
    }
  }

  /** `audited: false` for re-renders that show nothing new (progress of a restore, the list after a delete). */
  async function listSnapshots(ctx: RequestContext, vmName: string, options = { audited: true }): Promise<SnapshotView[]> {
    const vm = await findVm(vmName);
    // Someone who may not see the VM is answered as if it did not exist (the refusal is still audited).
    const denial = { action: "view", vmId: vm.id, vmName: vm.name, details: { surface: "snapshots" } } as const;
    await authorizeReadOrHide(audit, ctx, "snapshot_view", denial, vm.scope, () => noVmNamed(vmName));
    if (options.audited) {
      await audit.record({ actor: ctx.actor, source: ctx.source, action: "view", outcome: "succeeded", vmId: vm.id, vmName: vm.name, details: { surface: "snapshots" } });
    }
    await refreshTransitional(vm.id);
    const rows = await prisma.snapshot.findMany({
      where: { vmId: vm.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: { createdBy: { select: { slackUserId: true } } },
    });
    return rows.map((row) => ({
      id: row.id,
      vmId: vm.id,
      vmName: vm.name,
      name: row.name,
      status: row.status,
      sizeGb: row.sizeGb,
      createdAt: row.createdAt,
      createdBy: row.createdBy?.slackUserId ?? null,
    }));
  }

  async function deleteSnapshot(ctx: RequestContext, snapshotId: number): Promise<SnapshotView> {
    const snapshot = await findSnapshot(snapshotId);
    const details = { snapshot: snapshot.name, snapshotId };
    await guard(ctx, "snapshot_delete", "snapshot_deleted", snapshot.vm, details);
    if (snapshot.status === "restoring") throw new ConflictError(`${snapshot.name} is being restored; delete it when the restore is done.`);
    const holder = await begin(ctx, "snapshot_deleted", snapshot.vm, details, QUICK_CLAIM_MS);
    try {
      if (snapshot.providerSnapshotId) await providers.get(snapshot.vm.provider).deleteSnapshot(snapshot.providerSnapshotId);
    } catch (error) {
      return fail(ctx, holder, "snapshot_deleted", snapshot.vm, details, error);
    }
    await prisma.$transaction(async (tx) => {
      await tx.snapshot.update({ where: { id: snapshot.id }, data: { status: "deleting" } });
      await finish(tx, ctx, holder, "snapshot_deleted", snapshot.vm, "succeeded", details);
    });
    return { id: snapshot.id, vmId: snapshot.vmId, vmName: snapshot.vm.name, name: snapshot.name, status: "deleting", sizeGb: snapshot.sizeGb, createdAt: snapshot.createdAt, createdBy: null };
  }

  /**
   * Restores a VM from a snapshot. A running VM is stopped first and started again afterwards;
   * `onProgress` hears each step. Resolves when the VM is back in its previous state.
   */
  async function restoreSnapshot(
    ctx: RequestContext,
    snapshotId: number,
    onProgress?: (progress: RestoreProgress) => void | Promise<void>,
  ): Promise<{ vmName: string; snapshotName: string; finalStatus: string }> {
    const snapshot = await findSnapshot(snapshotId);
    const vm = snapshot.vm;
    const details: Record<string, unknown> = { snapshot: snapshot.name, snapshotId, previousStatus: vm.status };
    await guard(ctx, "snapshot_restore", "snapshot_restored", vm, details);
    if (snapshot.status !== "available") throw new ConflictError(`${snapshot.name} is ${snapshot.status}; only an available snapshot can be restored.`);
    if (!snapshot.providerSnapshotId) throw new ConflictError(`${snapshot.name} has no cloud snapshot to restore from.`);
    const providerSnapshotId = snapshot.providerSnapshotId;
    const provider = providers.get(vm.provider);
    // The whole restore (stop, restore, start) holds the VM: no click acts on it meanwhile.
    const holder = await begin(ctx, "snapshot_restored", vm, details, 3 * waitOptions().timeoutMs + QUICK_CLAIM_MS);
    const report = (step: RestoreStep) => onProgress?.({ step, vmName: vm.name, snapshotName: snapshot.name });
    const wasRunning = ["running", "starting", "rebooting"].includes(vm.status);

    try {
      if (wasRunning) {
        await report("stopping");
        await moveTo(provider, vm, "stopped", "restore: stopping first");
      }
      await report("restoring");
      await prisma.snapshot.update({ where: { id: snapshot.id }, data: { status: "restoring" } });
      await provider.restoreSnapshot(vm.providerResourceId, providerSnapshotId);
      await waitForSnapshotAvailable(provider, providerSnapshotId);
      await prisma.snapshot.update({ where: { id: snapshot.id }, data: { status: "available" } });
      if (wasRunning) {
        await report("starting");
        await moveTo(provider, vm, "running", "restore: back to running");
      }
    } catch (error) {
      await syncAfterFailedRestore(provider, snapshot.id, providerSnapshotId, vm);
      return fail(ctx, holder, "snapshot_restored", vm, details, error);
    }
    const finalStatus = wasRunning ? "running" : "stopped";
    await prisma.$transaction((tx) => finish(tx, ctx, holder, "snapshot_restored", vm, "succeeded", { ...details, finalStatus }));
    await report("done");
    return { vmName: vm.name, snapshotName: snapshot.name, finalStatus };
  }

  /** After a failed restore, the inventory says what the cloud says about the snapshot and the VM. */
  async function syncAfterFailedRestore(provider: CloudProvider, snapshotId: number, providerSnapshotId: string, vm: Vm) {
    const cloudSnapshot = await provider.describeSnapshot(providerSnapshotId).catch(() => undefined);
    await prisma.snapshot.update({ where: { id: snapshotId }, data: { status: cloudSnapshot?.state ?? "error" } });
    const instance = await provider.describeInstance(vm.providerResourceId).catch(() => undefined);
    if (instance) {
      const current = await prisma.vm.findUniqueOrThrow({ where: { id: vm.id } });
      await recordObservedState(prisma, current, instance, "restore failed", now());
    }
  }

  async function moveTo(provider: CloudProvider, vm: Vm, target: "running" | "stopped", reason: string) {
    const current = await prisma.vm.findUniqueOrThrow({ where: { id: vm.id } });
    if (target === "stopped") await provider.stopInstance(vm.providerResourceId);
    else await provider.startInstance(vm.providerResourceId);
    await changeVmStatus(prisma, { vmId: vm.id, from: current.status, to: target === "stopped" ? "stopping" : "starting", reason, at: now() });
    const settled = await provider.waitForState(vm.providerResourceId, target, waitOptions());
    await recordObservedState(prisma, { id: vm.id, status: target === "stopped" ? "stopping" : "starting" }, settled, reason, now());
    if (settled.state !== target) {
      throw new CloudActionError(settled.stateMessage ?? `${vm.name} ended ${settled.state} instead of ${target}`);
    }
  }

  async function waitForSnapshotAvailable(provider: CloudProvider, providerSnapshotId: string) {
    await waitUntil(
      async () => {
        const cloud = await provider.describeSnapshot(providerSnapshotId);
        if (cloud.state === "error") throw new CloudActionError("The cloud reported an error while restoring the snapshot.");
        return cloud;
      },
      (cloud) => cloud.state === "available",
      { ...waitOptions(), timedOut: () => new CloudActionError("Timed out waiting for the restore to finish.") },
    );
  }

  return { createSnapshot, listSnapshots, deleteSnapshot, restoreSnapshot, refreshTransitional };
}

export type SnapshotService = ReturnType<typeof createSnapshotService>;
