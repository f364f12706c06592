// One VM step of an environment run, phase by phase, each phase written before it begins so a resumed
// run continues where a dead one stopped:
//   power      ask the cloud, unless it shows the VM there or on its way (providerCalledAt records the ask)
//   verify     poll the cloud until the VM really is in the target state ("the API said yes" is not enough)
//   readiness  the optional TCP/HTTP check, retried until its timeout
//   settle     the group's settle delay (until readyAt)
import { CloudProviderError, type ProviderRegistry } from "../../providers/cloud-provider.js";
import { describeProviderError } from "../provider-errors.js";
import type { PrismaClient } from "../prisma-types.js";
import { changeVmStatus, recordObservedState } from "../vm-state.js";
import type { EnvironmentAction } from "./plan.js";
import { describeReadinessCheck, type ReadinessProbe } from "./readiness.js";
import type { StoredStep } from "./execution-model.js";

export type Phase = "power" | "verify" | "readiness" | "settle";

export interface StepTiming {
  now: () => Date;
  /** Resolves after `ms` (or at once when the signal aborts); tests pass one that does not really wait. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  pollIntervalMs: number;
  /** How long the VM may take to reach the target state after the cloud accepted the request. */
  verifyTimeoutMs: number;
  /** Default for readiness checks that do not give their own timeout. */
  readinessTimeoutMs: number;
}

export interface StepContext extends StepTiming {
  prisma: PrismaClient;
  providers: ProviderRegistry;
  probe: ReadinessProbe;
  operationId: number;
  action: EnvironmentAction;
  signal: AbortSignal;
  /** Called when the step's row changed in a way a user would see. */
  changed: () => void;
}

const SPEC = {
  start: { target: "running", transitional: "starting", lastAction: "vm_start" },
  stop: { target: "stopped", transitional: "stopping", lastAction: "vm_stop" },
} as const;

/** The step ended: failed with a message a user can act on. */
class StepFailure extends Error {}

/** Runs (or resumes) one step to its end: succeeded, noop or failed. Returns without writing once aborted. */
export async function runStep(ctx: StepContext, step: StoredStep): Promise<void> {
  const { prisma, operationId } = ctx;
  const where = { operationId_vmId: { operationId, vmId: step.vmId } };
  const begun = await prisma.operationVm.updateMany({
    where: { operationId, vmId: step.vmId, status: "pending" },
    data: { status: "running", startedAt: ctx.now(), phase: "power", waitingFor: null },
  });
  let row = await prisma.operationVm.findUniqueOrThrow({ where });
  if (row.status !== "running") return; // settled meanwhile (a retry reset or another owner)
  if (begun.count) ctx.changed();
  try {
    let phase = (row.phase ?? "power") as Phase;
    if (phase === "power") {
      await powerPhase(ctx, step);
      if (ctx.signal.aborted) return;
      phase = "verify";
      await prisma.operationVm.update({ where, data: { phase, waitingFor: `${step.name}: ${SPEC[ctx.action].target} (asked the cloud)` } });
    }
    row = await prisma.operationVm.findUniqueOrThrow({ where });
    const asked = row.providerCalledAt !== null;
    if (phase === "verify") {
      await verifyPhase(ctx, step, asked);
      if (ctx.signal.aborted) return;
      phase = step.readiness && ctx.action === "start" ? "readiness" : "settle";
      await prisma.operationVm.update({ where, data: { phase, ...settleFields(ctx, step, asked, phase) } });
      ctx.changed();
    }
    if (phase === "readiness") {
      await readinessPhase(ctx, step);
      if (ctx.signal.aborted) return;
      phase = "settle";
      await prisma.operationVm.update({ where, data: { phase, ...settleFields(ctx, step, asked, phase) } });
    }
    row = await prisma.operationVm.findUniqueOrThrow({ where });
    const waitMs = (row.readyAt?.getTime() ?? 0) - ctx.now().getTime();
    if (waitMs > 0) await ctx.sleep(waitMs, ctx.signal);
    if (ctx.signal.aborted) return;
    await prisma.operationVm.updateMany({
      where: { id: row.id, status: "running" },
      data: {
        status: asked ? "succeeded" : "noop",
        message: asked ? null : `already ${SPEC[ctx.action].target}`,
        waitingFor: null,
        finishedAt: ctx.now(),
        readyAt: ctx.now(), // while settling it held the planned time; now the real one
      },
    });
  } catch (error) {
    if (ctx.signal.aborted) return;
    const message = error instanceof StepFailure ? error.message : describeProviderError(error);
    await prisma.operationVm.updateMany({ where: { id: row.id, status: "running" }, data: { status: "failed", message, waitingFor: null, finishedAt: ctx.now() } });
  }
  ctx.changed();
}

function settleFields(ctx: StepContext, step: StoredStep, asked: boolean, phase: Phase) {
  if (phase !== "settle") return { waitingFor: `${step.name}: readiness check ${describeReadinessCheck(step.readiness!)}` };
  // A VM that was already up has long settled.
  const settleMs = asked ? step.settleSeconds * 1000 : 0;
  return { readyAt: new Date(ctx.now().getTime() + settleMs), waitingFor: settleMs ? `${step.name}: settling for ${step.settleSeconds} s` : null };
}

async function loadVm(ctx: StepContext, vmId: number) {
  return ctx.prisma.vm.findUniqueOrThrow({ where: { id: vmId } });
}

async function powerPhase(ctx: StepContext, step: StoredStep): Promise<void> {
  const { prisma } = ctx;
  const spec = SPEC[ctx.action];
  const vm = await loadVm(ctx, step.vmId);
  const provider = ctx.providers.get(vm.provider);
  // Ask first: a VM already there (or on its way) needs no call.
  const current = await provider.describeInstance(vm.providerResourceId);
  await recordObservedState(prisma, vm, current, `${ctx.action} environment: checked`, ctx.now());
  if (current.state === spec.target || current.state === spec.transitional) return;
  // Claimed before the call. A claim already there means a previous owner asked and died around the
  // call; the cloud (asked just above) shows the VM neither there nor on its way, so that call never took
  // effect: ask again rather than wait for a VM nobody moved. Start and stop are idempotent, so a call
  // that did arrive but is not visible yet costs nothing.
  await prisma.operationVm.updateMany({
    where: { operationId: ctx.operationId, vmId: step.vmId, providerCalledAt: null },
    data: { providerCalledAt: ctx.now() },
  });
  if (ctx.signal.aborted) return;
  const [result] = await provider.powerInstances(ctx.action, [vm.providerResourceId]);
  if (result && !result.ok) throw new StepFailure(describeProviderError(result.error));
  const at = ctx.now();
  await changeVmStatus(prisma, {
    vmId: vm.id,
    from: current.state,
    to: spec.transitional,
    reason: `environment ${ctx.action}`,
    statusMessage: null,
    at,
    extra: { lastAction: spec.lastAction, lastActionAt: at },
  });
}

async function verifyPhase(ctx: StepContext, step: StoredStep, asked: boolean): Promise<void> {
  const spec = SPEC[ctx.action];
  const deadline = ctx.now().getTime() + ctx.verifyTimeoutMs;
  for (;;) {
    if (ctx.signal.aborted) return;
    const vm = await loadVm(ctx, step.vmId);
    let instance;
    try {
      instance = await ctx.providers.get(vm.provider).describeInstance(vm.providerResourceId);
    } catch (error) {
      if (!(error instanceof CloudProviderError && error.retryable)) throw error;
    }
    if (instance) {
      const state = await recordObservedState(ctx.prisma, vm, instance, `environment ${ctx.action} progress`, ctx.now());
      if (state === spec.target) return;
      if (state === "error") throw new StepFailure(instance.stateMessage ?? "The provider reported an error");
      if (ctx.now().getTime() >= deadline) {
        const said = asked ? `The provider accepted the ${ctx.action} request but ${step.name}` : step.name;
        throw new StepFailure(`${said} stayed ${state} (waited ${Math.round(ctx.verifyTimeoutMs / 1000)} s for ${spec.target}).`);
      }
    }
    await ctx.sleep(ctx.pollIntervalMs, ctx.signal);
  }
}

async function readinessPhase(ctx: StepContext, step: StoredStep): Promise<void> {
  const check = step.readiness!;
  const timeoutMs = check.timeoutSeconds ? check.timeoutSeconds * 1000 : ctx.readinessTimeoutMs;
  const deadline = ctx.now().getTime() + timeoutMs;
  const attemptMs = Math.min(5000, timeoutMs);
  for (;;) {
    if (ctx.signal.aborted) return;
    const result = await ctx.probe(check, attemptMs);
    if (result.ok) return;
    if (ctx.now().getTime() >= deadline) {
      throw new StepFailure(`Readiness check ${describeReadinessCheck(check)} of ${step.name} did not pass within ${Math.round(timeoutMs / 1000)} s (${result.detail ?? "no answer"}).`);
    }
    await ctx.sleep(ctx.pollIntervalMs, ctx.signal);
  }
}
