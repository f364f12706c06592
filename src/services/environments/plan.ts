// The plan of an environment start or stop, before anything runs: one step per VM, what each waits
// for, the critical path and an estimated duration. Pure: the same plan drives the executor.
//
// Start: a VM waits for its VM dependencies and for every VM of the groups its group depends on (an
// empty group passes its own dependencies on). Stop: the same edges reversed, so a VM stops only once
// everything that depends on it has stopped.
import type { ReadinessCheck } from "./model.js";

export type EnvironmentAction = "start" | "stop";

export interface PlanVm {
  vmId: number;
  name: string;
  group: string;
  status: string;
  dependsOn: string[];
  readiness?: ReadinessCheck;
}

export interface PlanGroup {
  name: string;
  sequence: number;
  dependsOn: string[];
  settleSeconds: number;
  /** In sequence order. */
  vms: PlanVm[];
}

export interface PlanInput {
  environmentId: number;
  environment: string;
  /** In sequence order. */
  groups: PlanGroup[];
}

export interface PlanStep {
  vmId: number;
  name: string;
  group: string;
  /** Every VM this step waits for (expanded from groups). */
  after: string[];
  /** What it waits for, as declared: whole groups, then single VMs. */
  waitsForGroups: string[];
  waitsForVms: string[];
  /** Already where the action would take it: nothing to ask the cloud, only to verify. */
  noop: boolean;
  readiness?: ReadinessCheck;
  settleSeconds: number;
  estimateSeconds: number;
  estimateFromHistory: boolean;
  /** With unlimited parallelism: when it could start and finish, in seconds from the beginning. */
  earliestStartSeconds: number;
  earliestFinishSeconds: number;
  critical: boolean;
}

export interface EnvironmentPlan {
  environmentId: number;
  environment: string;
  action: EnvironmentAction;
  /** In an order where every step comes after what it waits for. */
  steps: PlanStep[];
  criticalPath: string[];
  /** Length of the critical path: no schedule can be faster. */
  criticalPathSeconds: number;
  /** Simulated with the concurrency limit. */
  estimatedSeconds: number;
  concurrency: number;
}

export interface PlanOptions {
  concurrency: number;
  /** Seconds per VM from past runs (state history), by VM id; the default is used where missing. */
  history: ReadonlyMap<number, number>;
  defaultStepSeconds: number;
}

const TARGET: Record<EnvironmentAction, string> = { start: "running", stop: "stopped" };

/** The VMs a group waits for: those of its dependency groups; an empty group passes its own dependencies on. */
function groupPrerequisites(groups: PlanGroup[], name: string, seen = new Set<string>()): string[] {
  const group = groups.find((candidate) => candidate.name === name);
  if (!group || seen.has(name)) return [];
  seen.add(name);
  return group.dependsOn.flatMap((required) => {
    const requiredGroup = groups.find((candidate) => candidate.name === required);
    if (!requiredGroup) return [];
    return requiredGroup.vms.length ? requiredGroup.vms.map((vm) => vm.name) : groupPrerequisites(groups, required, seen);
  });
}

export function startEdges(input: PlanInput): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const group of input.groups) {
    const prerequisites = groupPrerequisites(input.groups, group.name);
    for (const vm of group.vms) edges.set(vm.name, new Set([...prerequisites, ...vm.dependsOn]));
  }
  return edges;
}

export function reversed(edges: Map<string, Set<string>>): Map<string, Set<string>> {
  const result = new Map([...edges.keys()].map((name) => [name, new Set<string>()]));
  for (const [name, prerequisites] of edges) for (const required of prerequisites) result.get(required)?.add(name);
  return result;
}

export function buildPlan(input: PlanInput, action: EnvironmentAction, options: PlanOptions): EnvironmentPlan {
  const start = startEdges(input);
  const edges = action === "start" ? start : reversed(start);
  const vms = input.groups.flatMap((group) => group.vms.map((vm) => ({ vm, group })));

  const steps = new Map<string, PlanStep>();
  for (const { vm, group } of vms) {
    const noop = vm.status === TARGET[action];
    const fromHistory = options.history.get(vm.vmId);
    const settleSeconds = action === "start" && !noop ? group.settleSeconds : 0;
    const powerSeconds = noop ? 0 : (fromHistory ?? options.defaultStepSeconds);
    const after = [...edges.get(vm.name)!];
    steps.set(vm.name, {
      vmId: vm.vmId,
      name: vm.name,
      group: group.name,
      after,
      waitsForGroups: action === "start" ? group.dependsOn : input.groups.filter((other) => other.dependsOn.includes(group.name)).map((other) => other.name),
      waitsForVms: action === "start" ? vm.dependsOn : vms.filter((other) => other.vm.dependsOn.includes(vm.name)).map((other) => other.vm.name),
      noop,
      ...(action === "start" && vm.readiness ? { readiness: vm.readiness } : {}),
      settleSeconds,
      estimateSeconds: powerSeconds + settleSeconds,
      estimateFromHistory: !noop && fromHistory !== undefined,
      earliestStartSeconds: 0,
      earliestFinishSeconds: 0,
      critical: false,
    });
  }

  const order = topologicalOrder([...steps.keys()], (name) => steps.get(name)!.after);
  for (const name of order) {
    const step = steps.get(name)!;
    step.earliestStartSeconds = Math.max(0, ...step.after.map((required) => steps.get(required)!.earliestFinishSeconds));
    step.earliestFinishSeconds = step.earliestStartSeconds + step.estimateSeconds;
  }
  const criticalPath = longestPath(order, steps);
  for (const name of criticalPath) steps.get(name)!.critical = true;
  const ordered = order.map((name) => steps.get(name)!);
  return {
    environmentId: input.environmentId,
    environment: input.environment,
    action,
    steps: ordered,
    criticalPath,
    criticalPathSeconds: Math.max(0, ...ordered.map((step) => step.earliestFinishSeconds)),
    estimatedSeconds: simulateSchedule(ordered, options.concurrency),
    concurrency: options.concurrency,
  };
}

/** Kahn's algorithm, taking ready nodes in the given order (groups and VMs in sequence) so plans read naturally. */
export function topologicalOrder(nodes: string[], after: (node: string) => readonly string[]): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < nodes.length) {
    const next = nodes.find((node) => !done.has(node) && after(node).every((required) => done.has(required) || !nodes.includes(required)));
    if (!next) throw new Error("dependency cycle in a stored environment"); // validation refuses these on write
    done.add(next);
    order.push(next);
  }
  return order;
}

function longestPath(order: string[], steps: Map<string, PlanStep>): string[] {
  if (!order.length) return [];
  let current = order.reduce((best, name) => (steps.get(name)!.earliestFinishSeconds > steps.get(best)!.earliestFinishSeconds ? name : best));
  const path = [current];
  for (;;) {
    const step = steps.get(current)!;
    const previous = step.after.find((required) => steps.get(required)!.earliestFinishSeconds === step.earliestStartSeconds);
    if (!previous) break;
    path.unshift(previous);
    current = previous;
  }
  return path;
}

/**
 * Seconds from each step to the end of the longest chain that follows it: the priority among ready
 * steps (longest remaining work first keeps the critical path moving when the limit binds).
 */
export function remainingWork(steps: readonly Pick<PlanStep, "name" | "after" | "estimateSeconds">[]): Map<string, number> {
  const dependents = new Map(steps.map((step) => [step.name, [] as string[]]));
  for (const step of steps) for (const required of step.after) dependents.get(required)?.push(step.name);
  const remaining = new Map<string, number>();
  const visit = (name: string): number => {
    const known = remaining.get(name);
    if (known !== undefined) return known;
    const step = steps.find((candidate) => candidate.name === name)!;
    const value = step.estimateSeconds + Math.max(0, ...dependents.get(name)!.map(visit));
    remaining.set(name, value);
    return value;
  };
  for (const step of steps) visit(step.name);
  return remaining;
}

/** Event simulation of the executor's policy: a step starts once its prerequisites finished and a slot is free. */
export function simulateSchedule(steps: readonly Pick<PlanStep, "name" | "after" | "estimateSeconds" | "noop">[], concurrency: number): number {
  return listSchedule(steps, (step) => step.estimateSeconds, concurrency, remainingWork(steps));
}

/**
 * The executor's scheduling policy with given durations (which may differ from the estimates behind
 * `priority`, as real boot times do): ready steps by highest priority, at most `concurrency` at once,
 * no-op steps without a slot. Returns the makespan.
 */
export function listSchedule<T extends Pick<PlanStep, "name" | "after" | "noop">>(
  steps: readonly T[],
  durationOf: (step: T) => number,
  concurrency: number,
  priority: ReadonlyMap<string, number>,
): number {
  const finishAt = new Map<string, number>();
  const running: { name: string; end: number }[] = [];
  let time = 0;
  while (finishAt.size < steps.length) {
    const ready = steps
      .filter((step) => !finishAt.has(step.name) && !running.some((entry) => entry.name === step.name))
      .filter((step) => step.after.every((required) => (finishAt.get(required) ?? Infinity) <= time))
      .sort((a, b) => priority.get(b.name)! - priority.get(a.name)!);
    for (const step of ready) {
      if (step.noop) finishAt.set(step.name, time + durationOf(step));
      else if (running.length < concurrency) running.push({ name: step.name, end: time + durationOf(step) });
    }
    if (ready.some((step) => step.noop)) continue;
    if (!running.length) break;
    running.sort((a, b) => a.end - b.end);
    const first = running.shift()!;
    time = first.end;
    finishAt.set(first.name, first.end);
  }
  return Math.max(0, ...finishAt.values());
}

/**
 * The plan with every dependency dropped (a global admin's force on stop, override on start): every
 * step at once, each as long as itself.
 */
export function withoutDependencies(plan: EnvironmentPlan): EnvironmentPlan {
  const steps = plan.steps.map((step) => ({ ...step, after: [], waitsForGroups: [], waitsForVms: [], earliestStartSeconds: 0, earliestFinishSeconds: step.estimateSeconds, critical: false }));
  const longest = steps.reduce<PlanStep | undefined>((best, step) => (!best || step.estimateSeconds > best.estimateSeconds ? step : best), undefined);
  if (longest) longest.critical = true;
  const seconds = longest?.estimateSeconds ?? 0;
  return { ...plan, steps, criticalPath: longest ? [longest.name] : [], criticalPathSeconds: seconds, estimatedSeconds: seconds, concurrency: Math.max(1, steps.length) };
}
