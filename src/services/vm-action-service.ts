// Start / stop / reboot for a batch of VMs. `requestVmAction` asks the clouds (fast: each call only
// asks the provider to begin) and returns a per-VM result; the operation tracker then follows the VMs
// until each reaches its target state or fails.
import pLimit from "p-limit";
import type { ProviderRegistry } from "../providers/cloud-provider.js";
import type { RequestContext } from "./actor.js";
import type { AuditEntryInput, AuditService } from "./audit-service.js";
import { createOperationTracker } from "./operation-tracker.js";
import { describeProviderError } from "./provider-errors.js";
import { UnknownVmsError, ValidationError } from "./errors.js";
import type { OperationService } from "./operation-service.js";
import { authorize } from "./policy.js";
import type { PrismaClient } from "./prisma-types.js";
import { VM_ACTION_SPECS, type VmAction } from "./vm-actions.js";
import { changeVmStatus } from "./vm-state.js";
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

    // Ask the clouds first (in parallel, bounded), then write every outcome and its audit row in one
    // transaction: one commit instead of one per VM.
    const results = await Promise.all(vms.map((vm) => limit(() => actOnVm(vm, action))));
    const at = now();
    await prisma.$transaction(
      async (tx) => {
        for (const [index, result] of results.entries()) {
          const vm = vms[index]!;
          await tx.operationVm.update({
            where: { operationId_vmId: { operationId: operation.id, vmId: vm.id } },
            data: {
              status: result.outcome === "accepted" ? "running" : result.outcome === "noop" ? "noop" : "failed",
              message: result.message ?? null,
              startedAt: at,
              ...(result.outcome === "accepted" ? {} : { finishedAt: at }),
            },
          });
          if (result.outcome === "accepted") {
            await changeVmStatus(tx, {
              vmId: vm.id,
              from: vm.status,
              to: spec.transitional,
              reason: `${action} requested`,
              statusMessage: null,
              at,
              extra: { lastAction: spec.auditAction, lastActionAt: at },
            });
          }
        }
        await audit.recordMany(
          results.map((result) => ({
            ...auditBase,
            outcome: result.outcome === "failed" ? "failed" : "succeeded",
            vmId: result.vmId,
            vmName: result.name,
            at,
            details: { operationId: operation.id, result: result.outcome, ...(result.message ? { message: result.message } : {}) },
          })),
          tx,
        );
      },
      { timeout: 60_000 },
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

  return { requestVmAction, ...createOperationTracker({ ...deps, limit }) };
}

export type VmActionService = ReturnType<typeof createVmActionService>;
