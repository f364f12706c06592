// Long-running batch operations: a row per request and per VM, so progress can be shown, resumed
// by any replica (under a lease: operation-lease.ts), and reported afterwards.
import type { PrismaClient } from "./prisma-types.js";
import type { RequestContext } from "./actor.js";
import type { AuditService } from "./audit-service.js";
import { authorizeOrAuditDenial } from "./guard.js";
import type { VmStatus } from "./vm-query.js";

export type VmOperationStatus = "pending" | "running" | "succeeded" | "failed" | "noop" | "skipped";
export type OperationStatus = "pending" | "running" | "succeeded" | "failed" | "partial";

export interface OperationVmProgress {
  vmId: number;
  name: string;
  targetState: VmStatus;
  status: VmOperationStatus;
  vmStatus: VmStatus;
  message: string | null;
}

export interface OperationProgress {
  operationId: number;
  kind: string;
  status: OperationStatus;
  total: number;
  /** VMs that reached the target (succeeded + noop). */
  atTarget: number;
  failed: number;
  inFlight: number;
  vms: OperationVmProgress[];
  createdAt: Date;
  finishedAt: Date | null;
}

export function settledStatus(statuses: VmOperationStatus[]): OperationStatus {
  if (statuses.some((status) => status === "pending" || status === "running")) return "running";
  const failed = statuses.filter((status) => status === "failed" || status === "skipped").length;
  if (failed === 0) return "succeeded";
  return failed === statuses.length ? "failed" : "partial";
}

export function createOperationService(deps: { prisma: PrismaClient; now?: () => Date }) {
  const { prisma } = deps;
  const now = deps.now ?? (() => new Date());

  async function getProgress(operationId: number): Promise<OperationProgress> {
    const operation = await prisma.operationExecution.findUniqueOrThrow({
      where: { id: operationId },
      include: { vms: { include: { vm: { select: { name: true, status: true } } }, orderBy: { id: "asc" } } },
    });
    const vms = operation.vms.map((row) => ({
      vmId: row.vmId,
      name: row.vm.name,
      targetState: row.targetState,
      status: row.status,
      vmStatus: row.vm.status,
      message: row.message,
    }));
    return {
      operationId,
      kind: operation.kind,
      status: operation.status,
      total: vms.length,
      atTarget: vms.filter((vm) => vm.status === "succeeded" || vm.status === "noop").length,
      failed: vms.filter((vm) => vm.status === "failed" || vm.status === "skipped").length,
      inFlight: vms.filter((vm) => vm.status === "pending" || vm.status === "running").length,
      vms,
      createdAt: operation.createdAt,
      finishedAt: operation.finishedAt,
    };
  }

  /** Marks the operation finished once no VM is in flight; returns its status. */
  async function settle(operationId: number): Promise<OperationStatus> {
    const rows = await prisma.operationVm.findMany({ where: { operationId }, select: { status: true } });
    const status = settledStatus(rows.map((row) => row.status));
    await prisma.operationExecution.update({
      where: { id: operationId },
      data: { status, ...(status === "running" ? {} : { finishedAt: now() }) },
    });
    return status;
  }

  /**
   * Marks an operation finished whose progress shows no VM in flight, and returns that progress finished:
   * a VM's settled status never changes again, so nothing needs reading back.
   */
  async function finish(progress: OperationProgress): Promise<OperationProgress> {
    const status = settledStatus(progress.vms.map((vm) => vm.status));
    const finishedAt = now();
    await prisma.operationExecution.update({ where: { id: progress.operationId }, data: { status, finishedAt } });
    return { ...progress, status, finishedAt };
  }

  return { getProgress, settle, finish };
}

export type OperationService = ReturnType<typeof createOperationService>;

/**
 * An operation's progress as shown to a user: asks the policy (`vm_view`) first, and a refusal is
 * audited as `denied`. Not audited when allowed: progress re-renders show nothing new. (`getProgress`
 * stays the unguarded read for the tracker and other internal callers.)
 */
export async function getProgressFor(
  services: { operations: Pick<OperationService, "getProgress">; audit: Pick<AuditService, "recordMany"> },
  ctx: RequestContext,
  operationId: number,
): Promise<OperationProgress> {
  await authorizeOrAuditDenial(services.audit, ctx, "vm_view", { action: "view", details: { surface: "progress", operationId } });
  return services.operations.getProgress(operationId);
}
