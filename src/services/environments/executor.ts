// Runs an environment start or stop from its stored plan: each step begins as soon as everything it
// waits for is verified ready, independent branches in parallel within the concurrency limit; a
// failure skips its dependents. The run is owned under a lease (heartbeat) so any replica can resume
// it after a crash, and its rows say how far each step got, so nothing is asked of the cloud twice.
import { setMaxListeners } from "node:events";
import type { ProviderRegistry } from "../../providers/cloud-provider.js";
import type { Logger } from "../../logger.js";
import type { Db, PrismaClient } from "../prisma-types.js";
import type { ExecutionLeases, VmClaims } from "./coordination.js";
import { ENVIRONMENT_KINDS, loadEnvironmentProgress, storedPlanSchema, type EnvironmentProgress, type StoredPlan, type StoredStep } from "./execution-model.js";
import { remainingWork, type EnvironmentPlan } from "./plan.js";
import type { ReadinessProbe } from "./readiness.js";
import { runStep, type StepTiming } from "./step-runner.js";
import { ConflictError } from "../errors.js";
import { describeBusyVm } from "../vm-claims.js";

export interface ExecutorDeps extends StepTiming {
  prisma: PrismaClient;
  providers: ProviderRegistry;
  leases: ExecutionLeases;
  claims: VmClaims;
  probe: ReadinessProbe;
  /** How often the owner renews its lease. */
  heartbeatMs: number;
  logger?: Logger;
  /** Called in the settling transaction once a run settled (not when it was abandoned): the audit of the outcome. */
  onSettled?: (progress: EnvironmentProgress, tx: Db) => Promise<void>;
}

export interface RunOptions {
  /** After every change a user would see; awaited, so keep it cheap (the Slack layer throttles). */
  onProgress?: (progress: EnvironmentProgress) => void | Promise<void>;
  /** Stops following the run without settling it (a shutdown; another replica resumes it). */
  signal?: AbortSignal;
}

const DONE = new Set(["succeeded", "noop"]);
const ENDED = new Set(["succeeded", "noop", "failed", "skipped"]);

export function toStoredPlan(plan: EnvironmentPlan): StoredPlan {
  const priority = remainingWork(plan.steps);
  return {
    action: plan.action,
    concurrency: plan.concurrency,
    steps: plan.steps.map((step) => ({
      vmId: step.vmId,
      name: step.name,
      group: step.group,
      after: step.after,
      noop: step.noop,
      ...(step.readiness ? { readiness: step.readiness } : {}),
      settleSeconds: step.settleSeconds,
      priority: priority.get(step.name)!,
    })),
  };
}

export function createEnvironmentExecutor(deps: ExecutorDeps) {
  const { prisma, leases, claims } = deps;
  /** Runs this process follows right now. */
  const following = new Set<number>();

  /**
   * Creates the run (owned by this process) and claims its VMs, in the caller's transaction with the
   * caller's record of intent. A VM with other work in flight refuses the whole run.
   */
  async function createExecution(tx: Db, plan: EnvironmentPlan, requestedById: number | null): Promise<number> {
    const at = deps.now();
    const stored = toStoredPlan(plan);
    const operation = await tx.operationExecution.create({
      data: {
        kind: ENVIRONMENT_KINDS[plan.action],
        status: "running",
        requestedById,
        environmentId: plan.environmentId,
        createdAt: at,
        startedAt: at,
        plan: stored,
        ...leases.initialLease(at),
        vms: { create: plan.steps.map((step) => ({ vmId: step.vmId, targetState: plan.action === "start" ? "running" : "stopped" })) },
      },
    });
    await claimSteps(tx, operation.id, stored.steps.filter((step) => !step.noop), requestedById, plan.action);
    return operation.id;
  }

  async function claimSteps(tx: Db, operationId: number, steps: StoredStep[], requestedById: number | null, action: StoredPlan["action"]) {
    const at = deps.now();
    const { busy } = await claims.claim(
      tx,
      steps.map((step) => step.vmId),
      { action: ENVIRONMENT_KINDS[action], claimedById: requestedById, operationId, at, expiresAt: leases.claimExpiry(at) },
    );
    if (busy.length) throw new ConflictError(`${busy.map(describeBusyVm).join("; ")}. Try again once that work settled.`);
  }

  /** Follows a run this process owns until every step ended (or the lease is lost, or `signal` aborts). */
  async function run(operationId: number, options: RunOptions = {}): Promise<EnvironmentProgress> {
    if (following.has(operationId)) return loadEnvironmentProgress(prisma, operationId);
    following.add(operationId);
    const stop = new AbortController();
    // Every step in flight waits on this one signal: as many listeners as the run has parallel steps.
    setMaxListeners(Infinity, stop.signal);
    const abort = () => stop.abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    try {
      const operation = await prisma.operationExecution.findUniqueOrThrow({ where: { id: operationId } });
      if (operation.ownerId !== leases.ownerId || operation.status !== "running") return await loadEnvironmentProgress(prisma, operationId);
      const heartbeat = keepLease(operationId, stop);
      await drive(operationId, storedPlanSchema.parse(operation.plan), stop.signal, options);
      stop.abort();
      await heartbeat;
      if (options.signal?.aborted || lostLease.has(operationId)) return await loadEnvironmentProgress(prisma, operationId);
      return await settle(operationId);
    } finally {
      lostLease.delete(operationId);
      options.signal?.removeEventListener("abort", abort);
      following.delete(operationId);
    }
  }

  const lostLease = new Set<number>();

  async function keepLease(operationId: number, stop: AbortController): Promise<void> {
    while (!stop.signal.aborted) {
      await deps.sleep(deps.heartbeatMs, stop.signal);
      if (stop.signal.aborted) return;
      const held = await leases.renew(operationId).catch(() => true); // a failed heartbeat is retried; the lease is generous
      if (!held) {
        deps.logger?.warn({ operationId }, "lost the lease of an environment run; another replica follows it now");
        lostLease.add(operationId);
        stop.abort();
      }
    }
  }

  async function drive(operationId: number, plan: StoredPlan, signal: AbortSignal, options: RunOptions): Promise<void> {
    const inFlight = new Map<string, Promise<void>>();
    let dirty = true;
    const stepContext = {
      ...deps,
      operationId,
      action: plan.action,
      signal,
      changed: () => {
        dirty = true;
      },
    };
    const report = async () => {
      if (!dirty || !options.onProgress) return;
      dirty = false;
      await options.onProgress(await loadEnvironmentProgress(prisma, operationId));
    };

    while (!signal.aborted) {
      const rows = new Map((await prisma.operationVm.findMany({ where: { operationId } })).map((row) => [row.vmId, row]));
      const byName = new Map(plan.steps.map((step) => [step.name, rows.get(step.vmId)!]));

      // A failure (or a skip) skips everything that waits for it, naming the VM that failed.
      for (const step of plan.steps) {
        const row = byName.get(step.name)!;
        if (row.status !== "pending") continue;
        const blocker = step.after.map((name) => ({ name, row: byName.get(name)! })).find((entry) => entry.row.status === "failed" || entry.row.status === "skipped");
        if (!blocker) continue;
        const message = blocker.row.status === "failed" ? `because ${blocker.name} failed` : (blocker.row.message ?? `because ${blocker.name} was skipped`);
        const { count } = await prisma.operationVm.updateMany({
          where: { id: row.id, status: "pending" },
          data: { status: "skipped", message, waitingFor: null, finishedAt: deps.now() },
        });
        if (count) {
          row.status = "skipped";
          row.message = message;
          dirty = true;
        }
      }

      // Steps left running by a dead owner continue first, then ready steps by longest remaining chain.
      for (const step of plan.steps) {
        if (byName.get(step.name)!.status === "running" && !inFlight.has(step.name)) launch(step);
      }
      const ready = plan.steps
        .filter((step) => byName.get(step.name)!.status === "pending" && !inFlight.has(step.name))
        .filter((step) => step.after.every((name) => DONE.has(byName.get(name)!.status)))
        .sort((a, b) => b.priority - a.priority);
      for (const step of ready) {
        // Verifying a VM already in place asks nothing of the cloud's capacity: no slot needed.
        if (step.noop || inFlightPowered() < plan.concurrency) launch(step);
      }

      await describeWaits(plan, byName, inFlight);
      await report();
      if (!inFlight.size) {
        if (plan.steps.every((step) => ENDED.has(byName.get(step.name)!.status))) break;
        // Nothing runs and something is still pending: its prerequisites just ended; look again.
        continue;
      }
      await Promise.race(inFlight.values());
    }
    await Promise.allSettled(inFlight.values());
    if (!signal.aborted) await report();

    function inFlightPowered() {
      return [...inFlight.keys()].filter((name) => !plan.steps.find((step) => step.name === name)!.noop).length;
    }

    function launch(step: StoredStep) {
      const promise = runStep(stepContext, step)
        .catch(async (error) => {
          deps.logger?.error({ err: error, operationId, vm: step.name }, "an environment step failed unexpectedly");
          await prisma.operationVm.updateMany({
            where: { operationId, vmId: step.vmId, status: { in: ["pending", "running"] } },
            data: { status: "failed", message: "Unexpected error in the bot; see its log", finishedAt: deps.now() },
          });
        })
        .then(() => claims.release(prisma, [step.vmId], operationId))
        .finally(() => {
          inFlight.delete(step.name);
          dirty = true;
        });
      inFlight.set(step.name, promise);
    }
  }

  /** Writes, for each step still pending, what it waits for ("waiting for db-1: readiness check tcp 5432"). */
  async function describeWaits(plan: StoredPlan, byName: Map<string, { id: number; status: string; waitingFor: string | null }>, inFlight: Map<string, unknown>) {
    for (const step of plan.steps) {
      const row = byName.get(step.name)!;
      if (row.status !== "pending" || inFlight.has(step.name)) continue;
      const unmet = step.after.find((name) => !DONE.has(byName.get(name)!.status));
      let waitingFor: string;
      if (!unmet) waitingFor = `a free slot (at most ${plan.concurrency} VMs at once)`;
      else {
        const required = byName.get(unmet)!;
        waitingFor = required.waitingFor ?? (required.status === "running" ? `${unmet}: ${plan.action === "start" ? "starting" : "stopping"}` : `${unmet}: not started yet`);
      }
      waitingFor = `waiting for ${waitingFor.replace(/^waiting for /, "")}`;
      if (waitingFor === row.waitingFor) continue;
      await prisma.operationVm.updateMany({ where: { id: row.id, status: "pending" }, data: { waitingFor } });
      row.waitingFor = waitingFor;
    }
  }

  async function settle(operationId: number): Promise<EnvironmentProgress> {
    const rows = await prisma.operationVm.findMany({ where: { operationId }, select: { status: true, vmId: true } });
    const failed = rows.filter((row) => row.status === "failed" || row.status === "skipped").length;
    const status = failed === 0 ? "succeeded" : failed === rows.length ? "failed" : "partial";
    // The outcome's audit row commits with the status: a crash leaves neither (the run is resumed and
    // settled again), and only the owner that settled it records it (never twice).
    return prisma.$transaction(async (tx) => {
      const { count } = await tx.operationExecution.updateMany({ where: { id: operationId, ownerId: leases.ownerId, status: "running" }, data: { status, finishedAt: deps.now() } });
      if (!count) return loadEnvironmentProgress(tx, operationId);
      await leases.release(operationId, tx);
      await claims.release(tx, rows.map((row) => row.vmId), operationId);
      const progress = await loadEnvironmentProgress(tx, operationId);
      await deps.onSettled?.(progress, tx);
      return progress;
    });
  }

  /**
   * Makes a settled run run again for its failed and skipped steps only (the rest stays done), owned by
   * this process. Returns false when the run is not in a state to retry (still running, or all done).
   */
  async function prepareRetry(operationId: number, requestedById: number | null): Promise<boolean> {
    return prisma.$transaction(async (tx) => {
      const at = deps.now();
      const { count } = await tx.operationExecution.updateMany({
        where: { id: operationId, status: { in: ["failed", "partial"] } },
        data: { status: "running", finishedAt: null, ...leases.initialLease(at) },
      });
      if (!count) return false;
      const operation = await tx.operationExecution.findUniqueOrThrow({ where: { id: operationId } });
      const plan = storedPlanSchema.parse(operation.plan);
      const again = await tx.operationVm.findMany({ where: { operationId, status: { in: ["failed", "skipped"] } }, select: { vmId: true } });
      await tx.operationVm.updateMany({
        where: { operationId, status: { in: ["failed", "skipped"] } },
        data: { status: "pending", message: null, phase: null, providerCalledAt: null, readyAt: null, waitingFor: null, startedAt: null, finishedAt: null },
      });
      const retried = new Set(again.map((row) => row.vmId));
      await claimSteps(tx, operationId, plan.steps.filter((step) => retried.has(step.vmId)), requestedById, plan.action);
      return true;
    });
  }

  /**
   * Takes over runs whose owner stopped renewing its lease (it died) and follows them to the end.
   * The takeover is one conditional update, so two replicas never both resume a run.
   */
  async function resumeAbandoned(options: RunOptions & { detach?: boolean } = {}): Promise<number[]> {
    const candidates = await leases.expired(Object.values(ENVIRONMENT_KINDS));
    const taken: number[] = [];
    for (const id of candidates) {
      if (!following.has(id) && (await leases.takeOver(id))) taken.push(id);
    }
    const runs = taken.map((id) => run(id, options));
    // The scheduled job detaches: a long run must not keep other abandoned runs waiting for the next tick.
    if (options.detach) for (const [index, promise] of runs.entries()) promise.catch((error) => deps.logger?.error({ err: error, operationId: taken[index] }, "a resumed environment run failed"));
    else await Promise.all(runs);
    return taken;
  }

  return { createExecution, run, prepareRetry, resumeAbandoned };
}

export type EnvironmentExecutor = ReturnType<typeof createEnvironmentExecutor>;
