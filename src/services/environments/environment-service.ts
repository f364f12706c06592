// Environments for the Slack surface: list, show, plan (reads: `vm_view` in that environment; a list shows
// only the environments the user may open), start/stop, retry and cancel (vm_start/vm_stop in that
// environment; force and override need dependency_override there), audited as environment_start/_stop
// with the environment set.
import { environmentAdminIds } from "../access/environment-admins.js";
import type { Logger } from "../../logger.js";
import type { ProviderRegistry } from "../../providers/cloud-provider.js";
import type { RequestContext } from "../actor.js";
import type { AuditService } from "../audit-service.js";
import { NotFoundError, ValidationError } from "../errors.js";
import { authorizeOrAuditDenial } from "../guard.js";
import { PLATFORM, type Scope } from "../policy.js";
import { visibleEnvironmentWhere } from "../visibility.js";
import { transactionUnlessLocked } from "../locks/lock-gate.js";
import type { Db, PrismaClient } from "../prisma-types.js";
import { toActor } from "../user-service.js";
import { sharedVmClaims, type ExecutionLeases, type VmClaims } from "./coordination.js";
import { pastStepSeconds } from "./estimates.js";
import { describeReadinessCheck } from "./model.js";
import { ENVIRONMENT_KINDS, loadEnvironmentProgress, type EnvironmentProgress } from "./execution-model.js";
import { createEnvironmentExecutor, type RunOptions } from "./executor.js";
import { loadPlanInput } from "./plan-input.js";
import { buildPlan, withoutDependencies, type EnvironmentAction, type EnvironmentPlan, type PlanInput } from "./plan.js";
import { requireOverrideReason, type DependencyOverride } from "../dependency-override.js";
import { probeReadiness, type ReadinessProbe } from "./readiness.js";
import { adminForceAction, type Notifier } from "../notifications/vm-notices.js";

export interface EnvironmentSettings {
  /** VMs started or stopped at once within one run. */
  concurrency: number;
  /** Settle delay for groups that do not set their own. */
  defaultSettleSeconds: number;
  /** Readiness checks without their own timeout give up after this. */
  readinessTimeoutSeconds: number;
}

export const DEFAULT_ENVIRONMENT_SETTINGS: EnvironmentSettings = { concurrency: 5, defaultSettleSeconds: 0, readinessTimeoutSeconds: 120 };

/** Used when a VM has no past run to learn from. */
export const DEFAULT_STEP_SECONDS: Record<EnvironmentAction, number> = { start: 90, stop: 45 };

const PERMISSION = { start: "vm_start", stop: "vm_stop" } as const;

export interface EnvironmentSummary {
  id: number;
  name: string;
  description: string | null;
  running: number;
  total: number;
  lockedBy: string | null;
  lastRun: { operationId: number; action: EnvironmentAction; status: string; at: Date } | null;
}

export interface EnvironmentView {
  id: number;
  name: string;
  description: string | null;
  groups: {
    name: string;
    dependsOn: string[];
    settleSeconds: number;
    vms: { id: number; name: string; status: string; dependsOn: string[]; readiness: string | null }[];
  }[];
}

export function createEnvironmentService(deps: {
  prisma: PrismaClient;
  providers: ProviderRegistry;
  audit: AuditService;
  /** Tells the environment's admins of a forced or overridden run (in the run's transaction). */
  notifications: Notifier;
  settings?: Partial<EnvironmentSettings>;
  leases: ExecutionLeases;
  claims?: VmClaims;
  probe?: ReadinessProbe;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  pollIntervalMs?: number;
  /** How long a VM may take to reach its target state after the cloud accepted the request. */
  verifyTimeoutMs?: number;
  heartbeatMs?: number;
  logger?: Logger;
}) {
  const { prisma, audit, notifications } = deps;
  const settings = { ...DEFAULT_ENVIRONMENT_SETTINGS, ...deps.settings };
  const now = deps.now ?? (() => new Date());
  const { leases } = deps;
  const executor = createEnvironmentExecutor({
    prisma,
    providers: deps.providers,
    leases,
    claims: deps.claims ?? sharedVmClaims,
    probe: deps.probe ?? probeReadiness,
    now,
    sleep: deps.sleep ?? sleep,
    pollIntervalMs: deps.pollIntervalMs ?? 2000,
    verifyTimeoutMs: deps.verifyTimeoutMs ?? 15 * 60_000,
    readinessTimeoutMs: settings.readinessTimeoutSeconds * 1000,
    heartbeatMs: deps.heartbeatMs ?? Math.max(10, Math.floor(leases.leaseMs / 4)),
    logger: deps.logger,
    onSettled: recordOutcome,
  });

  async function requireInput(name: string): Promise<PlanInput> {
    const input = await loadPlanInput(prisma, name);
    if (!input) throw new NotFoundError(`No environment named "${name}". \`/vm env list\` shows them.`);
    return input;
  }

  async function listEnvironments(ctx: RequestContext): Promise<EnvironmentSummary[]> {
    await authorizeOrAuditDenial(audit, ctx, "vm_view", { action: "view", details: { what: "environments" } });
    const environments = await prisma.environment.findMany({
      where: visibleEnvironmentWhere(ctx.actor),
      orderBy: { name: "asc" },
      include: {
        groups: { include: { vms: { select: { status: true } } } },
        lock: { include: { holder: { select: { displayName: true, slackUserId: true } } } },
        operations: { where: { kind: { in: Object.values(ENVIRONMENT_KINDS) } }, orderBy: { id: "desc" }, take: 1 },
      },
    });
    return environments.map((environment) => {
      const vms = environment.groups.flatMap((group) => group.vms);
      const last = environment.operations[0];
      return {
        id: environment.id,
        name: environment.name,
        description: environment.description,
        running: vms.filter((vm) => vm.status === "running").length,
        total: vms.length,
        lockedBy: environment.lock ? (environment.lock.holder.displayName ?? environment.lock.holder.slackUserId) : null,
        lastRun: last ? { operationId: last.id, action: last.kind === ENVIRONMENT_KINDS.stop ? "stop" : "start", status: last.status, at: last.finishedAt ?? last.createdAt } : null,
      };
    });
  }

  /**
   * The environment's scope for the policy; an unknown name is asked on the platform, so the refusal (or the
   * "no environment named" answer) is the same as before environments had access of their own.
   */
  async function scopeOf(name: string): Promise<Scope> {
    const environment = await prisma.environment.findUnique({ where: { name }, select: { id: true, name: true } });
    return environment ? { environmentId: environment.id, environmentName: environment.name } : PLATFORM;
  }

  async function showEnvironment(ctx: RequestContext, name: string): Promise<EnvironmentView> {
    const scope = await scopeOf(name);
    await authorizeOrAuditDenial(audit, ctx, "vm_view", { action: "view", environmentId: scope.environmentId, details: { environment: name } }, undefined, scope);
    const input = await requireInput(name);
    const environment = await prisma.environment.findUniqueOrThrow({ where: { id: input.environmentId } });
    return {
      id: environment.id,
      name: environment.name,
      description: environment.description,
      groups: input.groups.map((group) => ({
        name: group.name,
        dependsOn: group.dependsOn,
        settleSeconds: effectiveSettle(group.settleSeconds),
        vms: group.vms.map((vm) => ({
          id: vm.vmId,
          name: vm.name,
          status: vm.status,
          dependsOn: vm.dependsOn,
          readiness: vm.readiness ? describeReadinessCheck(vm.readiness) : null,
        })),
      })),
    };
  }

  function effectiveSettle(seconds: number): number {
    return seconds || settings.defaultSettleSeconds;
  }

  async function planFor(input: PlanInput, action: EnvironmentAction): Promise<EnvironmentPlan> {
    const withSettle = { ...input, groups: input.groups.map((group) => ({ ...group, settleSeconds: effectiveSettle(group.settleSeconds) })) };
    const vmIds = input.groups.flatMap((group) => group.vms.map((vm) => vm.vmId));
    return buildPlan(withSettle, action, {
      concurrency: settings.concurrency,
      history: await pastStepSeconds(prisma, vmIds, action),
      defaultStepSeconds: DEFAULT_STEP_SECONDS[action],
    });
  }

  async function planEnvironment(ctx: RequestContext, name: string, action: EnvironmentAction): Promise<EnvironmentPlan> {
    const scope = await scopeOf(name);
    await authorizeOrAuditDenial(audit, ctx, "vm_view", { action: "view", environmentId: scope.environmentId, details: { environment: name, plan: action } }, undefined, scope);
    return planFor(await requireInput(name), action);
  }

  /**
   * Creates the run (audited `initiated`, VMs claimed) and returns its id; `runExecution` follows it.
   * `override` (global admins, with a reason): every VM at once, dependencies ignored, a force on stop
   * and an override on start; the environment's admins and the global admins (not the one who acted) are
   * then notified (`admin_force_action`) in the run's transaction.
   */
  async function requestEnvironmentAction(
    ctx: RequestContext,
    name: string,
    action: EnvironmentAction,
    options: { override?: DependencyOverride } = {},
  ): Promise<{ operationId: number; plan: EnvironmentPlan }> {
    const scope = await scopeOf(name);
    const denial = { action: ENVIRONMENT_KINDS[action], environmentId: scope.environmentId, details: { environment: name } };
    await authorizeOrAuditDenial(audit, ctx, PERMISSION[action], denial, undefined, scope);
    const kind = action === "stop" ? "force" : "override";
    if (options.override) await authorizeOrAuditDenial(audit, ctx, "dependency_override", { ...denial, details: { ...denial.details, [kind]: options.override.reason } }, undefined, scope);
    const reason = options.override ? requireOverrideReason(options.override.reason) : undefined;
    const ordered = await planFor(await requireInput(name), action);
    const plan = reason ? withoutDependencies(ordered) : ordered;
    if (!plan.steps.length) throw new ValidationError(`Environment ${name} has no VMs.`);
    const operationId = await transactionUnlessLocked(prisma, audit, ctx, { action: ENVIRONMENT_KINDS[action], environmentId: plan.environmentId, at: now() }, async (tx) => {
      const id = await executor.createExecution(tx, plan, ctx.actor.userId);
      await audit.record(
        {
          actor: ctx.actor,
          source: ctx.source,
          action: ENVIRONMENT_KINDS[action],
          outcome: "initiated",
          environmentId: plan.environmentId,
          details: { operationId: id, steps: plan.steps.length, criticalPath: plan.criticalPath, estimatedSeconds: plan.estimatedSeconds, ...(reason ? { [kind]: reason } : {}) },
        },
        tx,
      );
      if (reason) {
        const actorName = ctx.actor.displayName ?? ctx.actor.slackUserId;
        const userIds = await environmentAdminIds(tx, plan.environmentId, now(), ctx.actor.userId);
        await notifications.notify(adminForceAction({ userIds, actorName, kind, environment: name, operationId: id, reason }), tx);
      }
      return id;
    });
    return { operationId, plan };
  }

  /** An environment run and the scope of its environment. */
  async function findRun(operationId: number) {
    const operation = await prisma.operationExecution.findUnique({ where: { id: operationId }, include: { environment: { select: { name: true } } } });
    if (!operation || !Object.values(ENVIRONMENT_KINDS).includes(operation.kind as never)) throw new NotFoundError("That environment run no longer exists.");
    const scope: Scope = operation.environmentId !== null ? { environmentId: operation.environmentId, environmentName: operation.environment?.name } : PLATFORM;
    return { ...operation, scope };
  }

  /** Runs the failed and skipped steps of a settled run again (only those). */
  async function retryFailed(ctx: RequestContext, operationId: number): Promise<void> {
    const operation = await findRun(operationId);
    const action: EnvironmentAction = operation.kind === ENVIRONMENT_KINDS.stop ? "stop" : "start";
    await authorizeOrAuditDenial(audit, ctx, PERMISSION[action], { action: ENVIRONMENT_KINDS[action], environmentId: operation.environmentId, details: { operationId, retry: true } }, undefined, operation.scope);
    // A retry starts VMs again: refused like a start while someone else holds the environment's lock.
    if (operation.environmentId !== null) await transactionUnlessLocked(prisma, audit, ctx, { action: ENVIRONMENT_KINDS[action], environmentId: operation.environmentId, at: now() }, async () => undefined);
    if (!(await executor.prepareRetry(operationId, ctx.actor.userId))) {
      throw new ValidationError("Nothing to retry: the run is still going, or every step completed.");
    }
    await audit.record({
      actor: ctx.actor,
      source: ctx.source,
      action: ENVIRONMENT_KINDS[action],
      outcome: "initiated",
      environmentId: operation.environmentId,
      details: { operationId, retry: "failed and skipped steps" },
    });
  }

  /**
   * Stops a run from starting anything more: its pending steps are skipped ("cancelled by ..."); steps
   * already talking to the cloud finish. Returns how many steps were cancelled.
   */
  async function cancelRun(ctx: RequestContext, operationId: number): Promise<number> {
    const operation = await findRun(operationId);
    const action: EnvironmentAction = operation.kind === ENVIRONMENT_KINDS.stop ? "stop" : "start";
    await authorizeOrAuditDenial(audit, ctx, PERMISSION[action], { action: ENVIRONMENT_KINDS[action], environmentId: operation.environmentId, details: { operationId, cancel: true } }, undefined, operation.scope);
    return prisma.$transaction(async (tx) => {
      const { count } = await tx.operationVm.updateMany({
        where: { operationId, status: "pending", operation: { status: "running" } },
        data: { status: "skipped", message: `cancelled by ${ctx.actor.displayName ?? ctx.actor.slackUserId}`, waitingFor: null, finishedAt: now() },
      });
      if (!count) throw new ValidationError("Nothing left to cancel: every step has begun or ended.");
      await audit.record(
        { actor: ctx.actor, source: ctx.source, action: ENVIRONMENT_KINDS[action], outcome: "succeeded", environmentId: operation.environmentId, details: { operationId, cancelled: count } },
        tx,
      );
      return count;
    });
  }

  async function recordOutcome(progress: EnvironmentProgress, tx: Db): Promise<void> {
    const user = progress.requestedById ? await tx.user.findUnique({ where: { id: progress.requestedById } }) : null;
    const failures = progress.steps.filter((step) => step.state === "failed").map((step) => ({ vm: step.name, message: step.message }));
    await audit.record({
      actor: user ? toActor(user) : null,
      source: "system",
      action: ENVIRONMENT_KINDS[progress.action],
      outcome: progress.status === "succeeded" ? "succeeded" : "failed",
      environmentId: progress.environmentId,
      details: { operationId: progress.operationId, status: progress.status, counts: progress.counts, ...(failures.length ? { failures } : {}) },
    }, tx);
  }

  function runExecution(operationId: number, options?: RunOptions): Promise<EnvironmentProgress> {
    return executor.run(operationId, options);
  }

  function getProgress(operationId: number): Promise<EnvironmentProgress> {
    return loadEnvironmentProgress(prisma, operationId);
  }

  return {
    listEnvironments,
    showEnvironment,
    planEnvironment,
    requestEnvironmentAction,
    retryFailed,
    cancelRun,
    runExecution,
    getProgress,
    resumeAbandonedRuns: (options?: RunOptions & { detach?: boolean }) => executor.resumeAbandoned(options),
    ownerId: leases.ownerId,
  };
}

export type EnvironmentService = ReturnType<typeof createEnvironmentService>;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
