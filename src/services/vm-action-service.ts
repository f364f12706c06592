// Start / stop / reboot for a batch of VMs. `requestVmAction` asks the clouds (fast: each call only
// asks the provider to begin) and returns a per-VM result; `trackOperation` then follows the VMs
// until each reaches its target state or fails, reporting progress as it goes.
import pLimit from "p-limit";
import { CloudProviderError, type ProviderRegistry } from "../providers/cloud-provider.js";
import type { RequestContext } from "./actor.js";
import type { AuditEntryInput, AuditService } from "./audit-service.js";
import { UnknownVmsError, ValidationError } from "./errors.js";
import type { OperationProgress, OperationService } from "./operation-service.js";
import { authorize } from "./policy.js";
import type { PrismaClient } from "./prisma-types.js";
import { VM_ACTION_SPECS, type VmAction } from "./vm-actions.js";
import { changeVmStatus, recordObservedState } from "./vm-state.js";
import type { VmStatus } from "./vm-query.js";

export const MAX_BATCH_SIZE = 200;

export type VmActionOutcome = "accepted" | "noop" | "failed";

export interface VmActionResult {
  vmId: number;
  name: string;
  outcome: VmActionOutcome;
  status: VmStatus;
  message?: string;
}

export interface VmActionRequest {
  operationId: number;
  action: VmAction;
  results: VmActionResult[];
}

export interface VmRefs {
  ids?: number[];
  names?: string[];
}

export interface TrackOptions {
  onProgress?: (progress: OperationProgress) => void | Promise<void>;
  pollIntervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function describeProviderError(error: unknown): string {
  if (error instanceof CloudProviderError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export function createVmActionService(deps: {
  prisma: PrismaClient;
  providers: ProviderRegistry;
  audit: AuditService;
  operations: OperationService;
  now?: () => Date;
  /** Cloud calls in flight at once for one batch. */
  concurrency?: number;
  pollIntervalMs?: number;
  timeoutMs?: number;
}) {
  const { prisma, providers, audit, operations } = deps;
  const now = deps.now ?? (() => new Date());
  const limit = pLimit(deps.concurrency ?? 8);
  /** Operations this process is following right now. */
  const tracking = new Set<number>();

  async function resolveVms(refs: VmRefs) {
    const ids = [...new Set(refs.ids ?? [])];
    const names = [...new Set(refs.names ?? [])];
    const vms = await prisma.vm.findMany({
      where: { OR: [{ id: { in: ids } }, { name: { in: names } }] },
      orderBy: { name: "asc" },
    });
    const unknownNames = names.filter((name) => !vms.some((vm) => vm.name === name));
    const unknownIds = ids.filter((id) => !vms.some((vm) => vm.id === id));
    return { vms, unknown: [...unknownNames, ...unknownIds.map((id) => `#${id}`)] };
  }

  async function requestVmAction(ctx: RequestContext, action: VmAction, refs: VmRefs): Promise<VmActionRequest> {
    const spec = VM_ACTION_SPECS[action];
    const { vms, unknown } = await resolveVms(refs);
    const auditBase = { actor: ctx.actor, source: ctx.source, action: spec.auditAction } as const;

    try {
      authorize(ctx.actor, spec.permission);
    } catch (error) {
      const entries: AuditEntryInput[] = vms.map((vm) => ({ ...auditBase, outcome: "denied", vmId: vm.id, vmName: vm.name }));
      if (!entries.length || unknown.length) entries.push({ ...auditBase, outcome: "denied", details: { unknown } });
      await audit.recordMany(entries);
      throw error;
    }
    if (unknown.length) throw new UnknownVmsError(unknown);
    if (!vms.length) throw new ValidationError("Pick at least one VM.");
    if (vms.length > MAX_BATCH_SIZE) throw new ValidationError(`At most ${MAX_BATCH_SIZE} VMs at once (you picked ${vms.length}).`);

    const operation = await prisma.operationExecution.create({
      data: {
        kind: spec.auditAction,
        status: "running",
        requestedById: ctx.actor.userId,
        createdAt: now(),
        startedAt: now(),
        vms: { create: vms.map((vm) => ({ vmId: vm.id, targetState: spec.target })) },
      },
    });

    const results = await Promise.all(
      vms.map((vm) =>
        limit(async (): Promise<VmActionResult> => {
          const result = await actOnVm(vm, action);
          await prisma.$transaction(async (tx) => {
            await tx.operationVm.update({
              where: { operationId_vmId: { operationId: operation.id, vmId: vm.id } },
              data: {
                status: result.outcome === "accepted" ? "running" : result.outcome === "noop" ? "noop" : "failed",
                message: result.message ?? null,
                startedAt: now(),
                ...(result.outcome === "accepted" ? {} : { finishedAt: now() }),
              },
            });
            if (result.outcome === "accepted") {
              await changeVmStatus(tx, {
                vmId: vm.id,
                from: vm.status,
                to: spec.transitional,
                reason: `${action} requested`,
                statusMessage: null,
                at: now(),
                extra: { lastAction: spec.auditAction, lastActionAt: now() },
              });
            }
            await audit.record(
              {
                ...auditBase,
                outcome: result.outcome === "failed" ? "failed" : "succeeded",
                vmId: vm.id,
                vmName: vm.name,
                details: { operationId: operation.id, result: result.outcome, ...(result.message ? { message: result.message } : {}) },
              },
              tx,
            );
          });
          return result;
        }),
      ),
    );
    await operations.settle(operation.id);
    return { operationId: operation.id, action, results };
  }

  async function actOnVm(
    vm: { id: number; name: string; status: VmStatus; provider: Parameters<ProviderRegistry["get"]>[0]; providerResourceId: string },
    action: VmAction,
  ): Promise<VmActionResult> {
    const spec = VM_ACTION_SPECS[action];
    const base = { vmId: vm.id, name: vm.name };
    if (spec.noopWhen.includes(vm.status)) {
      return { ...base, outcome: "noop", status: vm.status, message: `already ${vm.status}` };
    }
    const refusal = spec.refusedWhen[vm.status];
    if (refusal) return { ...base, outcome: "failed", status: vm.status, message: `Cannot ${action} ${vm.name}: ${refusal}` };
    try {
      const provider = providers.get(vm.provider);
      if (action === "start") await provider.startInstance(vm.providerResourceId);
      else if (action === "stop") await provider.stopInstance(vm.providerResourceId);
      else await provider.rebootInstance(vm.providerResourceId);
      return { ...base, outcome: "accepted", status: spec.transitional };
    } catch (error) {
      return { ...base, outcome: "failed", status: vm.status, message: describeProviderError(error) };
    }
  }

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
            actor: user ? { userId: user.id, teamId: user.teamId, slackUserId: user.slackUserId, displayName: user.displayName, role: user.role } : null,
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

  return { requestVmAction, trackOperation, resumeAbandonedOperations };
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

export type VmActionService = ReturnType<typeof createVmActionService>;
