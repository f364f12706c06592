// Follows a batch operation's VMs until each reaches its target state or fails, writing what the
// cloud reports into the inventory; and picks up operations whose tracker died with its process.
import type { LimitFunction } from "p-limit";
import { CloudProviderError, type ProviderRegistry } from "../providers/cloud-provider.js";
import type { AuditEntryInput, AuditService } from "./audit-service.js";
import type { OperationProgress, OperationService } from "./operation-service.js";
import type { PrismaClient } from "./prisma-types.js";
import { toActor } from "./user-service.js";
import { describeProviderError } from "./provider-errors.js";
import { recordObservedState } from "./vm-state.js";

export interface TrackOptions {
  onProgress?: (progress: OperationProgress) => void | Promise<void>;
  pollIntervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function createOperationTracker(deps: {
  prisma: PrismaClient;
  providers: ProviderRegistry;
  audit: AuditService;
  operations: OperationService;
  /** Bounds the cloud calls in flight, shared with the requests. */
  limit: LimitFunction;
  now?: () => Date;
  pollIntervalMs?: number;
  timeoutMs?: number;
}) {
  const { prisma, providers, audit, operations, limit } = deps;
  const now = deps.now ?? (() => new Date());
  /** Operations this process is following right now. */
  const tracking = new Set<number>();

  /**
   * Follows an operation's VMs until each settles, writing what the cloud reports and calling
   * `onProgress` after every round. Resolves with the final progress.
   */
  async function trackOperation(operationId: number, options: TrackOptions = {}): Promise<OperationProgress> {
    tracking.add(operationId);
    try {
      return await followUntilSettled(operationId, options);
    } finally {
      tracking.delete(operationId);
    }
  }

  async function followUntilSettled(operationId: number, options: TrackOptions): Promise<OperationProgress> {
    const pollIntervalMs = options.pollIntervalMs ?? deps.pollIntervalMs ?? 2000;
    const deadline = Date.now() + (options.timeoutMs ?? deps.timeoutMs ?? 15 * 60_000);
    let progress = await operations.getProgress(operationId);
    await options.onProgress?.(progress);
    while (progress.inFlight > 0 && !options.signal?.aborted) {
      if (Date.now() > deadline) {
        await giveUp(operationId, "Timed out waiting for the cloud to finish");
        break;
      }
      await sleep(pollIntervalMs, options.signal);
      await pollOnce(operationId);
      progress = await operations.getProgress(operationId);
      await options.onProgress?.(progress);
    }
    await operations.settle(operationId);
    progress = await operations.getProgress(operationId);
    return progress;
  }

  async function pollOnce(operationId: number): Promise<void> {
    const inFlight = await prisma.operationVm.findMany({
      where: { operationId, status: "running" },
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
            await finishVm(row, "failed", describeProviderError(error));
            return;
          }
          const at = now();
          const status = await recordObservedState(prisma, row.vm, instance, `${row.operation.kind} progress`, at);
          if (status === row.targetState) await finishVm(row, "succeeded", null);
          else if (status === "error") await finishVm(row, "failed", instance.stateMessage ?? "The provider reported an error");
        }),
      ),
    );
  }

  async function finishVm(
    row: { id: number; vmId: number; vm: { name: string }; operation: { kind: string; requestedById: number | null } },
    status: "succeeded" | "failed",
    message: string | null,
  ) {
    await prisma.$transaction(async (tx) => {
      // Guarded: two trackers (a resumed operation on another replica) may finish the same VM.
      const { count } = await tx.operationVm.updateMany({
        where: { id: row.id, status: { in: ["pending", "running"] } },
        data: { status, message, finishedAt: now() },
      });
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
            details: { phase: "completion", message },
          },
          tx,
        );
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
   * Picks up operations whose tracker died with its process (a restart or a lost replica), so their
   * VMs do not stay "starting" in the inventory forever. Returns how many were resumed.
   */
  async function resumeAbandonedOperations(olderThanMs = 5 * 60_000): Promise<number> {
    const abandoned = await operations.unfinished(new Date(now().getTime() - olderThanMs));
    const resumable = abandoned.filter((operation) => !tracking.has(operation.id));
    await Promise.all(resumable.map((operation) => trackOperation(operation.id, { timeoutMs: 60_000 })));
    return resumable.length;
  }

  return { trackOperation, resumeAbandonedOperations };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
