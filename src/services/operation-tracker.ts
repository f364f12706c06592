// Follows a batch operation's VMs until each reaches its target state or fails, writing what the
// cloud reports into the inventory; and takes over operations whose owner stopped renewing its lease
// (its process died). Only the lease holder follows an operation; it stops when it loses the lease.
import type { LimitFunction } from "p-limit";
import { CloudProviderError, type ProviderRegistry } from "../providers/cloud-provider.js";
import type { AuditEntryInput, AuditService } from "./audit-service.js";
import type { OperationLeases } from "./operation-lease.js";
import type { OperationProgress, OperationService } from "./operation-service.js";
import type { PrismaClient } from "./prisma-types.js";
import { toActor } from "./user-service.js";
import { describeProviderError, describeStateFailure, providerErrorDetails, stateFailureDetails } from "./provider-errors.js";
import { VM_ACTION_SPECS } from "./vm-actions.js";
import { releaseVmClaims } from "./vm-claims.js";
import { recordObservedState } from "./vm-state.js";
import { isNotifiedVmAction, vmActionFailed, type Notifier } from "./notifications/vm-notices.js";

export interface TrackOptions {
  onProgress?: (progress: OperationProgress) => void | Promise<void>;
  /**
   * The operation's progress as the caller just read it, used instead of reading it again: its VMs'
   * states only change by the lease holder's polls, and this tracker has not polled yet.
   */
  initial?: OperationProgress;
  pollIntervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function createOperationTracker(deps: {
  prisma: PrismaClient;
  providers: ProviderRegistry;
  audit: AuditService;
  operations: OperationService;
  leases: OperationLeases;
  notifications: Notifier;
  /** Bounds the cloud calls in flight, shared with the requests. */
  limit: LimitFunction;
  now?: () => Date;
  pollIntervalMs?: number;
  timeoutMs?: number;
}) {
  const { prisma, providers, audit, operations, leases, limit, notifications } = deps;
  const now = deps.now ?? (() => new Date());
  /** Operations this process is following right now. */
  const tracking = new Set<number>();

  /**
   * Follows an operation's VMs until each settles, writing what the cloud reports and calling
   * `onProgress` after every round; resolves with the last progress. Only while this process holds
   * the operation's lease: it renews it by heartbeat, and returns early (without settling) if another
   * process took the operation over, or at once if it is not ours or already settled.
   */
  async function trackOperation(operationId: number, options: TrackOptions = {}): Promise<OperationProgress> {
    if (tracking.has(operationId)) return operations.getProgress(operationId);
    tracking.add(operationId);
    const lost = new AbortController();
    const heartbeat = leases.hold(operationId, () => lost.abort());
    try {
      if (!(await leases.renew(operationId))) return await operations.getProgress(operationId);
      const signal = options.signal ? AbortSignal.any([options.signal, lost.signal]) : lost.signal;
      const progress = await followUntilSettled(operationId, { ...options, signal });
      // Released even when the heartbeat saw the lease "lost": a heartbeat that runs just after the
      // operation settled finds it no longer running. Release is conditional on the owner, so an operation
      // another process took over keeps that process's lease.
      await leases.release(operationId);
      return progress;
    } finally {
      heartbeat.stop();
      tracking.delete(operationId);
    }
  }

  async function followUntilSettled(operationId: number, options: TrackOptions): Promise<OperationProgress> {
    const pollIntervalMs = options.pollIntervalMs ?? deps.pollIntervalMs ?? 2000;
    const deadline = Date.now() + (options.timeoutMs ?? deps.timeoutMs ?? 15 * 60_000);
    let progress = options.initial ?? (await operations.getProgress(operationId));
    await options.onProgress?.(progress);
    while (progress.inFlight > 0 && !options.signal?.aborted) {
      if (Date.now() > deadline) {
        await giveUp(operationId, "Timed out waiting for the cloud to finish");
        break;
      }
      await sleep(pollIntervalMs, options.signal);
      if (options.signal?.aborted) break;
      await pollOnce(operationId);
      progress = await operations.getProgress(operationId);
      await options.onProgress?.(progress);
    }
    if (options.signal?.aborted) return operations.getProgress(operationId);
    if (progress.inFlight === 0) return operations.finish(progress);
    await operations.settle(operationId); // gave up: the VMs still in flight were failed since the last read
    return operations.getProgress(operationId);
  }

  async function pollOnce(operationId: number): Promise<void> {
    const inFlight = await prisma.operationVm.findMany({
      where: { operationId, status: { in: ["pending", "running"] } },
      include: { vm: true, operation: { select: { kind: true, requestedById: true } } },
    });
    await Promise.all(
      inFlight.map((row) =>
        limit(async () => {
          let instance;
          try {
            instance = await providers.get(row.vm.provider).describeInstance(row.vm.providerResourceId);
          } catch (error) {
            if (error instanceof CloudProviderError && error.retryable) return; // try again next round
            await finishVm(row, "failed", describeProviderError(error), providerErrorDetails(error));
            return;
          }
          const at = now();
          const status = await recordObservedState(prisma, row.vm, instance, `${row.operation.kind} progress`, at);
          if (status === row.targetState) await finishVm(row, "succeeded", null);
          else if (status === "error") {
            const reason = instance.stateMessage ?? "The provider reported an error";
            await finishVm(row, "failed", describeStateFailure(row.vm.provider, reason), stateFailureDetails(row.vm.provider, reason));
          }
          else if (row.status === "pending" && !TRANSITIONAL.includes(status)) {
            // Its owner died between the claim and the cloud's answer, and the cloud shows no sign of
            // the request: fail it rather than ask again (a resumed operation never repeats a call).
            await finishVm(row, "failed", "Interrupted before the cloud confirmed the request; nothing was retried. Try again.");
          } else if (row.status === "pending") {
            await prisma.operationVm.updateMany({ where: { id: row.id, status: "pending" }, data: { status: "running", startedAt: at } });
          }
        }),
      ),
    );
  }

  async function finishVm(
    row: { id: number; operationId: number; vmId: number; vm: { name: string }; operation: { kind: string; requestedById: number | null } },
    status: "succeeded" | "failed",
    message: string | null,
    /** The cloud's own code and words, for the audit (the user reads `message`). */
    providerError?: Record<string, unknown>,
  ) {
    await prisma.$transaction(async (tx) => {
      // Guarded: two trackers (a resumed operation on another replica) may finish the same VM.
      const { count } = await tx.operationVm.updateMany({
        where: { id: row.id, status: { in: ["pending", "running"] } },
        data: { status, message, finishedAt: now() },
      });
      if (count === 1) await releaseVmClaims(tx, [row.vmId], { operationId: row.operationId });
      if (count === 1 && status === "failed") {
        const user = row.operation.requestedById ? await tx.user.findUnique({ where: { id: row.operation.requestedById } }) : null;
        await audit.record(
          {
            actor: user ? toActor(user) : null,
            source: "system",
            action: row.operation.kind as AuditEntryInput["action"],
            outcome: "failed",
            vmId: row.vmId,
            vmName: row.vm.name,
            details: { phase: "completion", message, ...(providerError ? { providerError } : {}) },
          },
          tx,
        );
        const kind = row.operation.kind;
        if (user && isNotifiedVmAction(kind)) {
          await notifications.notify(vmActionFailed({ userId: user.id, kind, operationId: row.operationId, vm: { id: row.vmId, name: row.vm.name }, message }), tx);
        }
      }
    });
  }

  async function giveUp(operationId: number, message: string) {
    const rows = await prisma.operationVm.findMany({
      where: { operationId, status: { in: ["pending", "running"] } },
      include: { vm: { select: { name: true } }, operation: { select: { kind: true, requestedById: true } } },
    });
    for (const row of rows) await finishVm(row, "failed", message);
  }

  /**
   * Takes over running operations whose lease expired (their process died or stopped following
   * them), one atomic claim each, and follows them to the end: their VMs do not stay "starting" in
   * the inventory forever, and no two processes follow one operation. VMs already asked are only
   * polled, never asked again. Returns how many this process took over.
   */
  async function resumeAbandonedOperations(): Promise<number> {
    const candidates = (await leases.expired(BATCH_KINDS)).filter((operationId) => !tracking.has(operationId));
    const taken: number[] = [];
    for (const operationId of candidates) if (await leases.takeOver(operationId)) taken.push(operationId);
    await Promise.all(taken.map((operationId) => trackOperation(operationId)));
    return taken.length;
  }

  return { trackOperation, resumeAbandonedOperations };
}

/** The operations this tracker resumes: batch power actions (other kinds have their own runners). */
const BATCH_KINDS = Object.values(VM_ACTION_SPECS).map((spec) => spec.auditAction);

/** What a VM shows while a cloud request is being carried out. */
const TRANSITIONAL: string[] = ["starting", "stopping", "rebooting"];

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
