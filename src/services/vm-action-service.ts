// Start / stop / reboot for a batch of VMs. `requestVmAction` claims the VMs and records the intent,
// asks the clouds (fast: each call only asks the provider to begin) and returns a per-VM result; the
// operation tracker then follows the VMs until each reaches its target state or fails.
import pLimit from "p-limit";
import type { ProviderRegistry } from "../providers/cloud-provider.js";
import type { Vm } from "../generated/sqlite/client.js";
import type { Actor, RequestContext } from "./actor.js";
import type { AuditSource } from "./audit-actions.js";
import type { AuditService } from "./audit-service.js";
import { authorizeEachOrAuditDenial, type DenialEntry } from "./guard.js";
import { can, environmentsWhere, PLATFORM, type Permission, type Scope } from "./policy.js";
import { scopeOfVm, vmScopeSelect } from "./visibility.js";
import type { OperationLeases } from "./operation-lease.js";
import { createOperationTracker } from "./operation-tracker.js";
import { describeProviderError, providerErrorDetails } from "./provider-errors.js";
import { UnknownVmsError, ValidationError, VmBusyError } from "./errors.js";
import type { OperationService } from "./operation-service.js";
import type { Db, PrismaClient } from "./prisma-types.js";
import { VM_ACTION_SPECS, type VmAction } from "./vm-actions.js";
import { claimVms, describeBusyVm, releaseVmClaims, type BusyVm } from "./vm-claims.js";
import { changeVmStatus } from "./vm-state.js";
import { dependencyRefusals } from "./environments/dependency-guard.js";
import { requireOverrideReason, type DependencyOverride } from "./dependency-override.js";
import { transactionUnlessLocked } from "./locks/lock-gate.js";
import { dependencyBlocked, isNotifiedVmAction, vmActionFailed, type Notifier } from "./notifications/vm-notices.js";
import type { VmStatus } from "./vm-query.js";

type ResolvedVm = Vm;
/** A machine's answer to the power call: what the user reads, and the cloud's own words for the audit. */
type CloudAnswer = { ok: true } | { ok: false; message: string; providerError?: Record<string, unknown> };

/** A burst of clicks queues for a connection (PostgreSQL pool) rather than failing after Prisma's 2 s default. */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 60_000 };

/** What the audit row says about work in flight that refused a VM. */
function busyDetails(busy: BusyVm | undefined): Record<string, unknown> {
  if (!busy) return {};
  return { busyWith: { action: busy.action, requestedBy: busy.claimedBy?.slackUserId ?? null, since: busy.claimedAt?.toISOString() ?? null, operationId: busy.operationId } };
}

export const MAX_BATCH_SIZE = 200;

/** `busy`: another piece of work holds the VM (see `busy`); nothing was asked of the cloud. */
export type VmActionOutcome = "accepted" | "noop" | "failed" | "busy";

export interface VmActionResult {
  vmId: number;
  name: string;
  outcome: VmActionOutcome;
  status: VmStatus;
  message?: string;
  busy?: BusyVm;
}

export interface VmActionRequest {
  operationId: number;
  action: VmAction;
  results: VmActionResult[];
}

/** Who asks: a user, or the bot itself (`actor: null`, e.g. drift correction under DRIFT_POLICY=correct). */
type Requester = { actor: Actor | null; source: AuditSource };

/**
 * Runs inside the claim's transaction once the VMs are ours: returns the VMs it refuses (id -> reason, e.g.
 * "the environment is locked") and may write what belongs with the action (e.g. the drift it settles).
 */
export type ClaimHook = (tx: Db, vms: ResolvedVm[]) => Promise<Map<number, string>>;

export interface VmActionOptions {
  override?: DependencyOverride;
  withinClaim?: ClaimHook;
}

export interface VmRefs {
  ids?: number[];
  names?: string[];
}

/** Whether the actor holds `permission` on the platform or in any environment. */
function holdsAnywhere(ctx: RequestContext, permission: Permission): boolean {
  const environments = environmentsWhere(ctx.actor, permission);
  return can(ctx.actor, permission, PLATFORM) || environments === "all" || environments.length > 0;
}

export function createVmActionService(deps: {
  prisma: PrismaClient;
  providers: ProviderRegistry;
  audit: AuditService;
  operations: OperationService;
  leases: OperationLeases;
  /** Tells the requester of a failed start/stop, or of a VM its dependencies blocked (in the outcome's transaction). */
  notifications: Notifier;
  now?: () => Date;
  /** Cloud calls in flight at once for one batch. */
  concurrency?: number;
  pollIntervalMs?: number;
  timeoutMs?: number;
}) {
  const { prisma, providers, audit, operations, leases, notifications } = deps;
  const now = deps.now ?? (() => new Date());
  const limit = pLimit(deps.concurrency ?? 8);

  async function resolveVms(refs: VmRefs) {
    const ids = [...new Set(refs.ids ?? [])];
    const names = [...new Set(refs.names ?? [])];
    const rows = await prisma.vm.findMany({
      where: { OR: [{ id: { in: ids } }, { name: { in: names } }] },
      orderBy: { name: "asc" },
      include: vmScopeSelect,
    });
    const vms = rows.map(({ group: _group, ...vm }) => vm);
    const scopes = new Map(rows.map((row) => [row.id, scopeOfVm(row)]));
    const unknownNames = names.filter((name) => !vms.some((vm) => vm.name === name));
    const unknownIds = ids.filter((id) => !vms.some((vm) => vm.id === id));
    return { vms, scopes, unknown: [...unknownNames, ...unknownIds.map((id) => `#${id}`)] };
  }

  async function requestVmAction(ctx: RequestContext, action: VmAction, refs: VmRefs, options: VmActionOptions = {}): Promise<VmActionRequest> {
    const spec = VM_ACTION_SPECS[action];
    const { vms, scopes, unknown } = await resolveVms(refs);
    // Each VM in the scope of its environment; one refused VM refuses the whole request. Names that match
    // nothing are refused only to someone who holds the permission nowhere (else: "no VM named ...").
    const batch = (permission: Permission, details: Record<string, unknown>) => {
      const items: { scope: Scope; denial: DenialEntry }[] = vms.map((vm) => ({ scope: scopes.get(vm.id)!, denial: { action: spec.auditAction, vmId: vm.id, vmName: vm.name, ...(Object.keys(details).length ? { details } : {}) } }));
      if ((!items.length || unknown.length) && !holdsAnywhere(ctx, permission)) items.push({ scope: PLATFORM, denial: { action: spec.auditAction, details: { ...details, unknown } } });
      return items;
    };
    await authorizeEachOrAuditDenial(audit, ctx, spec.permission, batch(spec.permission, {}));
    if (options.override) await authorizeEachOrAuditDenial(audit, ctx, "dependency_override", batch("dependency_override", { override: options.override.reason }));
    const override = options.override ? requireOverrideReason(options.override.reason) : undefined;
    if (unknown.length) throw new UnknownVmsError(unknown);
    if (!vms.length) throw new ValidationError("Pick at least one VM.");
    if (vms.length > MAX_BATCH_SIZE) throw new ValidationError(`At most ${MAX_BATCH_SIZE} VMs at once (you picked ${vms.length}).`);
    return claimAndCall(ctx, action, vms, override, options.withinClaim);
  }

  /**
   * The bot's own action, asked by no user (drift correction): the same claim, audit and cloud call, audited
   * with no actor. The caller decided it may act (a configured policy), so no permission is asked.
   */
  async function requestSystemVmAction(action: VmAction, vmIds: number[], options: { source?: AuditSource; withinClaim?: ClaimHook } = {}): Promise<VmActionRequest> {
    const { vms, unknown } = await resolveVms({ ids: vmIds });
    if (unknown.length) throw new UnknownVmsError(unknown);
    if (!vms.length) throw new ValidationError("Pick at least one VM.");
    return claimAndCall({ actor: null, source: options.source ?? "schedule" }, action, vms, undefined, options.withinClaim);
  }

  async function claimAndCall(ctx: Requester, action: VmAction, vms: ResolvedVm[], override: string | undefined, withinClaim: ClaimHook | undefined): Promise<VmActionRequest> {
    const { operationId, results, toCall } = await claimAndRecordIntent(ctx, action, vms, override, withinClaim);
    if (toCall.length) {
      // The claims are ours until the work settles: ask the clouds, one batch call per provider.
      const heartbeat = leases.hold(operationId);
      const answers = await powerByProvider(action, toCall).finally(() => heartbeat.stop());
      await recordCloudAnswers(ctx, action, operationId, toCall, answers, results);
    }
    const status = await operations.settle(operationId);
    if (status !== "running") await leases.release(operationId);
    return { operationId, action, results: vms.map((vm) => results.get(vm.id)!) };
  }

  /**
   * One transaction: the claim of each VM, the operation (owned by this process), the VMs with
   * nothing to do settled at once, and the intent (`initiated`) for each VM the cloud will be asked
   * about. Throws VmBusyError (after recording the refusals) when every VM has other work in flight.
   * Refusals commit rather than roll back: on SQLite a rollback would also undo other writes of this
   * process made meanwhile on the one shared connection.
   */
  async function claimAndRecordIntent(ctx: Requester, action: VmAction, vms: ResolvedVm[], override?: string, withinClaim?: ClaimHook) {
    const spec = VM_ACTION_SPECS[action];
    const auditBase = { actor: ctx.actor, source: ctx.source, action: spec.auditAction } as const;
    const at = now();
    const busyEntry = (refused: BusyVm, operationId?: number) => ({
      ...auditBase,
      outcome: "failed" as const,
      vmId: refused.vmId,
      vmName: refused.vmName,
      at,
      details: { ...(operationId ? { operationId } : {}), result: "busy", message: describeBusyVm(refused), ...busyDetails(refused) },
    });
    const outcome = await transactionUnlessLocked(
      prisma,
      audit,
      ctx,
      { action: spec.auditAction, vms, at },
      async (tx): Promise<{ busy: BusyVm[] } | { operationId: number; results: Map<number, VmActionResult>; toCall: ResolvedVm[] }> => {
        const claim = { action: spec.auditAction, claimedById: ctx.actor?.userId ?? null, at, expiresAt: leases.claimExpiry(at) };
        const { claimed, busy } = await claimVms(tx, vms.map((vm) => vm.id), claim);
        if (!claimed.length) {
          await audit.recordMany(busy.map((refused) => busyEntry(refused)), tx);
          return { busy };
        }
        const operation = await tx.operationExecution.create({
          data: {
            kind: spec.auditAction,
            status: "running",
            requestedById: ctx.actor?.userId ?? null,
            createdAt: at,
            startedAt: at,
            ...leases.initialLease(at),
            vms: { create: vms.map((vm) => ({ vmId: vm.id, targetState: spec.target })) },
          },
        });
        await tx.vm.updateMany({ where: { id: { in: claimed } }, data: { claimOperationId: operation.id } });
        // Decide on the statuses as they are now that the VMs are ours.
        const current = await tx.vm.findMany({ where: { id: { in: claimed } } });
        // Dependencies are read as they are now; the whole batch counts as acting together.
        const blocked = override ? new Map<number, string>() : await dependencyRefusals(tx, action, vms);
        if (withinClaim) for (const [vmId, reason] of await withinClaim(tx, current)) if (!blocked.has(vmId)) blocked.set(vmId, reason);
        const results = new Map<number, VmActionResult>();
        const toCall: ResolvedVm[] = [];
        for (const vm of current) {
          const base = { vmId: vm.id, name: vm.name, status: vm.status };
          const refusal = spec.refusedWhen[vm.status];
          if (spec.noopWhen.includes(vm.status)) results.set(vm.id, { ...base, outcome: "noop", message: `already ${vm.status}` });
          else if (refusal) results.set(vm.id, { ...base, outcome: "failed", message: `Cannot ${action} ${vm.name}: ${refusal}` });
          else if (blocked.has(vm.id)) results.set(vm.id, { ...base, outcome: "failed", message: blocked.get(vm.id)! });
          else toCall.push(vm);
        }
        for (const refused of busy) {
          const vm = vms.find((candidate) => candidate.id === refused.vmId)!;
          results.set(vm.id, { vmId: vm.id, name: vm.name, status: vm.status, outcome: "busy", message: describeBusyVm(refused), busy: refused });
        }
        const settledNow = [...results.values()];
        for (const result of settledNow) {
          await tx.operationVm.update({
            where: { operationId_vmId: { operationId: operation.id, vmId: result.vmId } },
            data: { status: result.outcome === "noop" ? "noop" : "failed", message: result.message ?? null, startedAt: at, finishedAt: at },
          });
        }
        await releaseVmClaims(tx, settledNow.filter((result) => result.outcome !== "busy").map((result) => result.vmId), { operationId: operation.id });
        await audit.recordMany(
          [
            ...toCall.map((vm) => ({ ...auditBase, outcome: "initiated" as const, vmId: vm.id, vmName: vm.name, at, details: { operationId: operation.id, ...(override ? { override } : {}) } })),
            ...settledNow.map((result) =>
              result.busy
                ? busyEntry(result.busy, operation.id)
                : {
                    ...auditBase,
                    outcome: result.outcome === "noop" ? ("succeeded" as const) : ("failed" as const),
                    vmId: result.vmId,
                    vmName: result.name,
                    at,
                    details: { operationId: operation.id, result: result.outcome, ...(result.message ? { message: result.message } : {}) },
                  },
            ),
          ],
          tx,
        );
        // The requester is told (the bot's own actions have nobody to tell: the drift notice covers them).
        const requester = ctx.actor;
        if (requester) {
          await notifications.notify(
            [...blocked.entries()]
              .filter(([vmId]) => results.get(vmId)?.message === blocked.get(vmId))
              .map(([vmId, blockedBy]) => dependencyBlocked({ userId: requester.userId, action, operationId: operation.id, vm: { id: vmId, name: results.get(vmId)!.name }, blockedBy })),
            tx,
          );
        }
        return { operationId: operation.id, results, toCall };
      },
      TRANSACTION_OPTIONS,
    );
    if (!("operationId" in outcome)) throw new VmBusyError(outcome.busy);
    return outcome;
  }

  /** One powerInstances call per provider for the claimed VMs; a VM's answer is ok or the provider's words. */
  async function powerByProvider(action: VmAction, vms: ResolvedVm[]): Promise<Map<number, CloudAnswer>> {
    const answers = new Map<number, CloudAnswer>();
    const byProvider = new Map<ResolvedVm["provider"], ResolvedVm[]>();
    for (const vm of vms) byProvider.set(vm.provider, [...(byProvider.get(vm.provider) ?? []), vm]);
    await Promise.all(
      [...byProvider].map(([kind, group]) =>
        limit(async () => {
          try {
            const results = await providers.get(kind).powerInstances(action, group.map((vm) => vm.providerResourceId));
            group.forEach((vm, index) => {
              const result = results[index];
              answers.set(vm.id, !result ? { ok: false, message: "The provider gave no answer for this machine" } : result.ok ? { ok: true } : { ok: false, message: describeProviderError(result.error), providerError: providerErrorDetails(result.error) });
            });
          } catch (error) {
            for (const vm of group) answers.set(vm.id, { ok: false, message: describeProviderError(error), providerError: providerErrorDetails(error) });
          }
        }),
      ),
    );
    return answers;
  }

  /** Each cloud answer, its VM's status and its audit row in one transaction; refused VMs are released. */
  async function recordCloudAnswers(
    ctx: Requester,
    action: VmAction,
    operationId: number,
    vms: ResolvedVm[],
    answers: Map<number, CloudAnswer>,
    results: Map<number, VmActionResult>,
  ) {
    const spec = VM_ACTION_SPECS[action];
    const at = now();
    await prisma.$transaction(
      async (tx) => {
        for (const vm of vms) {
          const answer = answers.get(vm.id) ?? { ok: false, message: "The provider gave no answer for this machine" };
          const message = answer.ok ? undefined : answer.message;
          results.set(vm.id, answer.ok ? { vmId: vm.id, name: vm.name, outcome: "accepted", status: spec.transitional } : { vmId: vm.id, name: vm.name, outcome: "failed", status: vm.status, message });
          await tx.operationVm.update({
            where: { operationId_vmId: { operationId, vmId: vm.id } },
            data: { status: answer.ok ? "running" : "failed", message: message ?? null, startedAt: at, ...(answer.ok ? {} : { finishedAt: at }) },
          });
          if (answer.ok) {
            await changeVmStatus(tx, { vmId: vm.id, from: vm.status, to: spec.transitional, reason: `${action} requested`, statusMessage: null, at, extra: { lastAction: spec.auditAction, lastActionAt: at } });
          }
        }
        await releaseVmClaims(tx, vms.filter((vm) => !answers.get(vm.id)?.ok).map((vm) => vm.id), { operationId });
        await audit.recordMany(
          vms.map((vm) => {
            const result = results.get(vm.id)!;
            const answer = answers.get(vm.id);
            const providerError = answer && !answer.ok ? answer.providerError : undefined;
            return {
              actor: ctx.actor,
              source: ctx.source,
              action: spec.auditAction,
              outcome: result.outcome === "failed" ? ("failed" as const) : ("succeeded" as const),
              vmId: vm.id,
              vmName: vm.name,
              at,
              details: { operationId, result: result.outcome, ...(result.message ? { message: result.message } : {}), ...(providerError ? { providerError } : {}) },
            };
          }),
          tx,
        );
        const requester = ctx.actor;
        if (requester && isNotifiedVmAction(spec.auditAction)) {
          const kind = spec.auditAction;
          const refused = vms.filter((vm) => results.get(vm.id)!.outcome === "failed");
          await notifications.notify(refused.map((vm) => vmActionFailed({ userId: requester.userId, kind, operationId, vm, message: results.get(vm.id)!.message ?? null })), tx);
        }
      },
      TRANSACTION_OPTIONS,
    );
  }

  return { requestVmAction, requestSystemVmAction, ...createOperationTracker({ ...deps, limit }) };
}

export type VmActionService = ReturnType<typeof createVmActionService>;
