// `npm run bench:environments`: the environment scheduler on 50 environments of 15 VMs with random
// dependency DAGs and simulated boot times with jitter. Prints, per concurrency limit, the makespan of
// the executor's policy divided by the lower bound (critical path, or the work spread over the allowed
// slots when that is longer; real durations; target <= 1.10), and its speed-up over
// a phase-barrier baseline (sequence step by sequence step, each waiting for all of its VMs, as sequenced
// start/stop schedulers do). A simulation of the scheduling policy (plan.ts listSchedule, the priority the
// executor uses), with readiness detected at the executor's poll interval; it does not touch a database.
import { seededRandom } from "../src/providers/simulator/random-ids.js";
import { buildPlan, listSchedule, remainingWork, type PlanInput, type PlanStep } from "../src/services/environments/plan.js";
import { printTable, type Figure } from "./support/figures.js";
import { recordSection } from "./support/results.js";

const ENVIRONMENTS = Number(process.env.BENCH_ENVIRONMENTS ?? 50);
const VMS_PER_ENVIRONMENT = 15;
const POLL_SECONDS = 2;
const JITTER = 0.25;
const random = seededRandom("bench-environments");

function randomEnvironment(index: number): { input: PlanInput; bootSeconds: Map<number, number> } {
  const groupCount = 3 + Math.floor(random() * 3);
  const groups = Array.from({ length: groupCount }, (_, g) => ({ name: `g${g}`, sequence: g, dependsOn: [] as string[], settleSeconds: 0, vms: [] as PlanInput["groups"][number]["vms"] }));
  // Each group after the first depends on one or two earlier groups (not always the previous one).
  for (const [g, group] of groups.entries()) {
    if (!g) continue;
    group.dependsOn.push(groups[Math.floor(random() * g)]!.name);
    if (g > 1 && random() < 0.4) group.dependsOn.push(groups[g - 1]!.name);
    group.dependsOn = [...new Set(group.dependsOn)];
  }
  const bootSeconds = new Map<number, number>();
  for (let v = 0; v < VMS_PER_ENVIRONMENT; v++) {
    const group = groups[v < groupCount ? v : Math.floor(random() * groupCount)]!;
    const name = `e${index}-vm${v}`;
    // Within a group, a VM may depend on VMs declared before it.
    const dependsOn = group.vms.filter(() => random() < 0.3).map((vm) => vm.name);
    group.vms.push({ vmId: index * 100 + v, name, group: group.name, status: "stopped", dependsOn });
    bootSeconds.set(index * 100 + v, 20 + Math.floor(random() * 160));
  }
  return { input: { environmentId: index, environment: `env-${index}`, groups }, bootSeconds };
}

/** Boot time with jitter, and as the executor sees it: readiness is noticed at the next poll. */
function bootWithJitter(seconds: number): { actual: number; observed: number } {
  const actual = seconds * (1 + (random() * 2 - 1) * JITTER);
  return { actual, observed: Math.ceil(actual / POLL_SECONDS) * POLL_SECONDS };
}

function criticalPathLowerBound(steps: PlanStep[], duration: Map<string, number>): number {
  const finish = new Map<string, number>();
  for (const step of steps) finish.set(step.name, Math.max(0, ...step.after.map((name) => finish.get(name)!)) + duration.get(step.name)!);
  return Math.max(...finish.values());
}

/** Sequence steps = dependency levels; each level starts when every VM of the previous one is up. */
function phaseBarrier(steps: PlanStep[], duration: Map<string, number>, concurrency: number): number {
  const level = new Map<string, number>();
  for (const step of steps) level.set(step.name, Math.max(-1, ...step.after.map((name) => level.get(name)!)) + 1);
  let total = 0;
  for (let current = 0; current <= Math.max(...level.values()); current++) {
    const phase = steps.filter((step) => level.get(step.name) === current).map((step) => ({ ...step, after: [] }));
    total += listSchedule(phase, (step) => duration.get(step.name)!, concurrency, new Map(phase.map((step) => [step.name, duration.get(step.name)!])));
  }
  return total;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const max = (values: number[]) => Math.max(...values);

const environments = Array.from({ length: ENVIRONMENTS }, (_, index) => randomEnvironment(index));
const TARGET = { op: "<=", value: 1.1 } as const;
const figures: Figure[] = [];
for (const concurrency of [VMS_PER_ENVIRONMENT, 8, 5, 3]) {
  const ratios: number[] = [];
  const speedups: number[] = [];
  for (const { input, bootSeconds } of environments) {
    const plan = buildPlan(input, "start", { concurrency, history: bootSeconds, defaultStepSeconds: 90 });
    const boots = new Map(plan.steps.map((step) => [step.name, bootWithJitter(bootSeconds.get(step.vmId)!)]));
    const duration = new Map([...boots].map(([name, boot]) => [name, boot.observed]));
    const makespan = listSchedule(plan.steps, (step) => duration.get(step.name)!, concurrency, remainingWork(plan.steps));
    // The bound uses the real boot times: no schedule, however it polls, can beat it. With a concurrency
    // limit, the total work spread over the allowed slots is a bound too; the larger of the two holds.
    const actual = new Map([...boots].map(([name, boot]) => [name, boot.actual]));
    const work = [...actual.values()].reduce((sum, seconds) => sum + seconds, 0);
    ratios.push(makespan / Math.max(criticalPathLowerBound(plan.steps, actual), work / concurrency));
    speedups.push(phaseBarrier(plan.steps, duration, concurrency) / makespan);
  }
  const label = concurrency === VMS_PER_ENVIRONMENT ? "unlimited" : `${concurrency} at once`;
  figures.push(
    { name: `makespan / lower bound, ${label}: mean`, value: mean(ratios), unit: "x", target: TARGET },
    { name: `makespan / lower bound, ${label}: worst environment`, value: max(ratios), unit: "x", target: TARGET },
    { name: `speed-up over phase barrier, ${label}: mean`, value: mean(speedups), unit: "x", baseline: { value: 1, label: "phase barrier" }, note: `worst environment ${Math.min(...speedups).toFixed(2)}x` },
  );
}
printTable(`Environment start efficiency (${ENVIRONMENTS} environments of ${VMS_PER_ENVIRONMENT} VMs, boot 20-180 s ±${JITTER * 100}% jitter, readiness seen every ${POLL_SECONDS} s)`, figures);
recordSection("environments", { environments: ENVIRONMENTS, vmsPerEnvironment: VMS_PER_ENVIRONMENT, pollSeconds: POLL_SECONDS, jitter: JITTER }, figures);
