// State sync and drift: the sync (state-sync.ts) finds VMs changed outside the bot; their admins settle each
// drift with Adopt (the cloud's state stands), Revert (put it back through the normal VM action path) or Ignore
// this VM. Under DRIFT_POLICY=correct the sync reverts new drift itself, except on a VM whose environment is
// locked (checked in the claim's transaction) or with work in flight (the claim refuses it): those only notify.
import type { ProviderRegistry } from "../../providers/cloud-provider.js";
import type { RequestContext } from "../actor.js";
import type { AuditEntryInput, AuditService } from "../audit-service.js";
import { ConflictError, NotFoundError, VmBusyError } from "../errors.js";
import { authorizeOrAuditDenial } from "../guard.js";
import type { NotificationService } from "../notifications/notification-service.js";
import type { Permission, Scope } from "../policy.js";
import type { Db, PrismaClient } from "../prisma-types.js";
import type { ClaimHook, VmActionRequest, VmActionService } from "../vm-action-service.js";
import type { VmStatus } from "../vm-query.js";
import { driftKeyPrefix, revertActionFor, type DriftPolicy } from "./drift-rules.js";
import { createStateSync } from "./state-sync.js";

/** Adopting or ignoring drift is an environment setting: its admins', or a global admin's outside environments. */
const SETTLE_PERMISSION: Permission = "environment_settings";

export interface DriftSyncResult {
  vms: number;
  providerCalls: number;
  drifted: number;
  gone: number;
  /** Drift reverted by the bot (DRIFT_POLICY=correct), and the operations doing it (to be followed). */
  corrected: number;
  operationIds: number[];
  failures: { provider: string; region: string; code: string; message: string; vms: number }[];
}

export function createDriftService(deps: {
  prisma: PrismaClient;
  providers: ProviderRegistry;
  audit: AuditService;
  notifications: Pick<NotificationService, "notify" | "resolve" | "deliverDue">;
  vmActions: Pick<VmActionService, "requestVmAction" | "requestSystemVmAction">;
  policy?: DriftPolicy;
  now?: () => Date;
}) {
  const { prisma, audit, notifications, vmActions } = deps;
  const now = deps.now ?? (() => new Date());
  const sync = createStateSync({ ...deps, now });

  /** One sync of every VM; under `correct`, new drift is reverted at once where nothing stands in the way. */
  async function syncAll(options: { policy?: DriftPolicy } = {}): Promise<DriftSyncResult> {
    const found = await sync.syncAll();
    const corrections = (options.policy ?? deps.policy ?? "notify") === "correct" && found.newDrift.length ? await correct(found.newDrift) : { corrected: 0, operationIds: [] };
    return { vms: found.vms, providerCalls: found.providerCalls, drifted: found.drifted, gone: found.gone, failures: found.failures, ...corrections };
  }

  /** The bot's own revert: one system action per direction; locked environments and busy VMs are left to their admins. */
  async function correct(vmIds: number[]): Promise<{ corrected: number; operationIds: number[] }> {
    const vms = await prisma.vm.findMany({ where: { id: { in: vmIds }, driftDetected: true }, select: { id: true, name: true, driftExpectedStatus: true } });
    const byAction = new Map<"start" | "stop", number[]>();
    for (const vm of vms) {
      const action = vm.driftExpectedStatus ? revertActionFor(vm.driftExpectedStatus) : null;
      if (action) byAction.set(action, [...(byAction.get(action) ?? []), vm.id]);
    }
    let corrected = 0;
    const operationIds: number[] = [];
    for (const [action, ids] of byAction) {
      let request: VmActionRequest;
      try {
        request = await vmActions.requestSystemVmAction(action, ids, { source: "schedule", withinClaim: settleDriftWithinClaim(null, "schedule", { refuseLocked: true }) });
      } catch (error) {
        if (error instanceof VmBusyError) continue; // work started meanwhile: it is not the bot's to fight
        throw error;
      }
      operationIds.push(request.operationId);
      for (const result of request.results.filter((candidate) => candidate.outcome === "accepted" || candidate.outcome === "noop")) {
        corrected++;
        await notifications.resolve(driftKeyPrefix(result.vmId), `Reverted automatically (DRIFT_POLICY=correct): the bot asked the cloud to ${action} ${result.name}.`);
      }
    }
    return { corrected, operationIds };
  }

  /**
   * Inside the revert's claim: refuses a VM whose drift was settled meanwhile (or, for the bot's own revert,
   * whose environment someone locked), and settles the drift of the others with its audit row.
   */
  function settleDriftWithinClaim(actor: RequestContext["actor"] | null, source: RequestContext["source"], options: { refuseLocked: boolean }): ClaimHook {
    return async (tx, vms) => {
      const refusals = new Map<number, string>();
      const rows = await tx.vm.findMany({
        where: { id: { in: vms.map((vm) => vm.id) } },
        select: { id: true, name: true, status: true, driftDetected: true, driftExpectedStatus: true, group: { select: { environment: { select: { id: true, name: true, lock: { select: { holder: { select: { displayName: true, slackUserId: true } } } } } } } } },
      });
      const at = now();
      const entries: AuditEntryInput[] = [];
      for (const row of rows) {
        const environment = row.group?.environment ?? null;
        if (!row.driftDetected) {
          refusals.set(row.id, `The drift on ${row.name} was already settled.`);
          continue;
        }
        if (options.refuseLocked && environment?.lock) {
          const holder = environment.lock.holder.displayName ?? environment.lock.holder.slackUserId;
          refusals.set(row.id, `Environment ${environment.name} is locked by ${holder}: the drift on ${row.name} is left to its admins.`);
          continue;
        }
        await tx.vm.update({ where: { id: row.id }, data: { driftDetected: false, driftDetectedAt: null, driftExpectedStatus: null } });
        entries.push({ actor, source, action: "state_drift_reverted", outcome: "succeeded", vmId: row.id, vmName: row.name, environmentId: environment?.id ?? null, at, details: { expected: row.driftExpectedStatus, observed: row.status } });
      }
      await audit.recordMany(entries, tx);
      return refusals;
    };
  }

  async function loadDrift(vmId: number) {
    const vm = await prisma.vm.findUnique({
      where: { id: vmId },
      select: { id: true, name: true, status: true, providerState: true, driftDetected: true, driftExpectedStatus: true, group: { select: { environment: { select: { id: true, name: true } } } } },
    });
    if (!vm) throw new NotFoundError("That VM is no longer in the inventory.");
    const environment = vm.group?.environment ?? null;
    const scope: Scope = environment ? { environmentId: environment.id, environmentName: environment.name } : { environmentId: null };
    return { vm, environment, scope };
  }

  function who(ctx: RequestContext): string {
    return ctx.actor.displayName ?? ctx.actor.slackUserId;
  }

  /** Adopt: the cloud's state stands (the sync already wrote it as the VM's status); the drift is cleared. */
  async function adopt(ctx: RequestContext, vmId: number): Promise<{ vmName: string; status: VmStatus }> {
    const { vm, environment, scope } = await loadDrift(vmId);
    const entry = { action: "state_drift_adopted", vmId: vm.id, vmName: vm.name, environmentId: environment?.id ?? null } as const;
    await authorizeOrAuditDenial(audit, ctx, SETTLE_PERMISSION, entry, undefined, scope);
    await settle(ctx, vm, { driftDetected: false, driftDetectedAt: null, driftExpectedStatus: null }, { ...entry, details: { expected: vm.driftExpectedStatus, adopted: vm.status, providerState: vm.providerState } });
    await notifications.resolve(driftKeyPrefix(vm.id), `Adopted by ${who(ctx)}: ${vm.name} stays ${vm.status}, as the cloud has it.`);
    return { vmName: vm.name, status: vm.status };
  }

  /** Ignore this VM: its drift is no longer reported (driftIgnored), the current episode is cleared. */
  async function ignore(ctx: RequestContext, vmId: number): Promise<{ vmName: string }> {
    const { vm, environment, scope } = await loadDrift(vmId);
    const entry = { action: "state_drift_ignored", vmId: vm.id, vmName: vm.name, environmentId: environment?.id ?? null } as const;
    await authorizeOrAuditDenial(audit, ctx, SETTLE_PERMISSION, entry, undefined, scope);
    await settle(ctx, vm, { driftIgnored: true, driftDetected: false, driftDetectedAt: null, driftExpectedStatus: null }, { ...entry, details: { expected: vm.driftExpectedStatus, status: vm.status } });
    await notifications.resolve(driftKeyPrefix(vm.id), `Ignored by ${who(ctx)}: drift on ${vm.name} is no longer reported.`);
    return { vmName: vm.name };
  }

  /** Conditional on the drift still being open, with its audit row: two admins clicking at once settle it once. */
  async function settle(ctx: RequestContext, vm: { id: number; name: string }, data: Record<string, unknown>, entry: Omit<AuditEntryInput, "actor" | "source" | "outcome">): Promise<void> {
    const settled = await prisma.$transaction(async (tx: Db) => {
      const { count } = await tx.vm.updateMany({ where: { id: vm.id, driftDetected: true, claimAction: null }, data });
      if (count === 0) return false;
      await audit.record({ ...entry, actor: ctx.actor, source: ctx.source, outcome: "succeeded" }, tx);
      return true;
    });
    if (!settled) throw new ConflictError(`The drift on ${vm.name} was already settled, or work is in flight on it.`);
  }

  /**
   * Revert: puts the VM back as the bot last knew it, through the normal VM action path (claim, audit, cloud
   * call); the drift is settled in the claim's transaction. Returns the operation to follow.
   */
  async function revert(ctx: RequestContext, vmId: number): Promise<VmActionRequest> {
    const { vm, environment, scope } = await loadDrift(vmId);
    const action = vm.driftExpectedStatus ? revertActionFor(vm.driftExpectedStatus) : null;
    const entry = { action: "state_drift_reverted", vmId: vm.id, vmName: vm.name, environmentId: environment?.id ?? null } as const;
    const permission: Permission = action === "stop" ? "vm_stop" : "vm_start";
    await authorizeOrAuditDenial(audit, ctx, permission, entry, undefined, scope);
    if (!vm.driftDetected || !action) throw new ConflictError(`There is no drift to revert on ${vm.name}.`);
    const request = await vmActions.requestVmAction(ctx, action, { ids: [vm.id] }, { withinClaim: settleDriftWithinClaim(ctx.actor, ctx.source, { refuseLocked: false }) });
    const result = request.results[0];
    if (result && (result.outcome === "accepted" || result.outcome === "noop")) {
      await notifications.resolve(driftKeyPrefix(vm.id), `Reverted by ${who(ctx)}: the bot asked the cloud to ${action} ${vm.name}.`);
    }
    return request;
  }

  return { syncAll, adopt, revert, ignore };
}

export type DriftService = ReturnType<typeof createDriftService>;
