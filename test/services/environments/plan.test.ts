// Plan building: what waits for what, parallel branches, the critical path, the reverse order for stop,
// and the estimate under a concurrency limit.
import { describe, expect, it } from "vitest";
import { buildPlan, simulateSchedule, type PlanGroup, type PlanInput, type PlanVm } from "../../../src/services/environments/plan.js";

let nextId = 1;
const vm = (name: string, dependsOn: string[] = [], status = "stopped"): PlanVm => ({ vmId: nextId++, name, group: "", status, dependsOn });
const group = (name: string, sequence: number, vms: PlanVm[], dependsOn: string[] = [], settleSeconds = 0): PlanGroup => ({
  name,
  sequence,
  dependsOn,
  settleSeconds,
  vms: vms.map((entry) => ({ ...entry, group: name })),
});

// database: db (slow) <- replica;  cache (fast);  app (after database): api <- worker;  web (after app): web-1
function shop(): PlanInput {
  return {
    environmentId: 1,
    environment: "shop",
    groups: [
      group("database", 0, [vm("db"), vm("replica", ["db"]), vm("cache")], [], 10),
      group("app", 1, [vm("api"), vm("worker", ["api"])], ["database"]),
      group("web", 2, [vm("web-1")], ["app"]),
    ],
  };
}

const names = (steps: { name: string }[]) => steps.map((step) => step.name);

describe("environment plans", () => {
  it("start: each VM waits for its VM dependencies and every VM of its group's dependency groups", () => {
    const plan = buildPlan(shop(), "start", { concurrency: 10, history: new Map(), defaultStepSeconds: 60 });
    const after = Object.fromEntries(plan.steps.map((step) => [step.name, step.after.sort()]));
    expect(after).toEqual({
      db: [],
      replica: ["db"],
      cache: [],
      api: ["cache", "db", "replica"],
      worker: ["api", "cache", "db", "replica"],
      "web-1": ["api", "worker"],
    });
    expect(names(plan.steps)).toEqual(["db", "replica", "cache", "api", "worker", "web-1"]);
    // db and cache run in parallel from 0; replica after db (+ settle of the database group).
    const byName = Object.fromEntries(plan.steps.map((step) => [step.name, step]));
    expect([byName.db!.earliestStartSeconds, byName.cache!.earliestStartSeconds]).toEqual([0, 0]);
    expect(byName.replica!.earliestStartSeconds).toBe(70);
    expect(byName.api!.earliestStartSeconds).toBe(140);
  });

  it("finds the critical path and its length; the estimate uses past runs where there are some", () => {
    const input = shop();
    const ids = Object.fromEntries(input.groups.flatMap((entry) => entry.vms).map((entry) => [entry.name, entry.vmId]));
    const history = new Map([[ids.db!, 120], [ids.cache!, 5], [ids.worker!, 30]]);
    const plan = buildPlan(input, "start", { concurrency: 10, history, defaultStepSeconds: 60 });
    expect(plan.criticalPath).toEqual(["db", "replica", "api", "worker", "web-1"]);
    // db 120+10 settle, replica 60+10, api 60, worker 30, web-1 60
    expect(plan.criticalPathSeconds).toBe(130 + 70 + 60 + 30 + 60);
    expect(plan.estimatedSeconds).toBe(plan.criticalPathSeconds);
    expect(plan.steps.filter((step) => step.critical).map((step) => step.name)).toEqual(plan.criticalPath);
    expect(plan.steps.find((step) => step.name === "db")).toMatchObject({ estimateSeconds: 130, estimateFromHistory: true });
    expect(plan.steps.find((step) => step.name === "api")).toMatchObject({ estimateSeconds: 60, estimateFromHistory: false });
  });

  it("stop: the same edges reversed, without settle delays", () => {
    const running = shop();
    for (const entry of running.groups.flatMap((candidate) => candidate.vms)) entry.status = "running";
    const plan = buildPlan(running, "stop", { concurrency: 10, history: new Map(), defaultStepSeconds: 30 });
    const after = Object.fromEntries(plan.steps.map((step) => [step.name, step.after.sort()]));
    expect(after).toEqual({
      "web-1": [],
      worker: ["web-1"],
      api: ["web-1", "worker"],
      db: ["api", "replica", "worker"],
      replica: ["api", "worker"],
      cache: ["api", "worker"],
    });
    expect(names(plan.steps)).toEqual(["web-1", "worker", "api", "replica", "db", "cache"]);
    expect(plan.criticalPath).toEqual(["web-1", "worker", "api", "replica", "db"]);
    expect(plan.criticalPathSeconds).toBe(5 * 30);
    expect(plan.steps.every((step) => step.settleSeconds === 0)).toBe(true);
  });

  it("a VM already in place is a no-op step that takes no time", () => {
    const input = shop();
    input.groups[0]!.vms[0]!.status = "running";
    const plan = buildPlan(input, "start", { concurrency: 10, history: new Map(), defaultStepSeconds: 60 });
    expect(plan.steps.find((step) => step.name === "db")).toMatchObject({ noop: true, estimateSeconds: 0, settleSeconds: 0 });
    expect(plan.steps.find((step) => step.name === "replica")!.earliestStartSeconds).toBe(0);
  });

  it("the estimate respects the concurrency limit, running the longest remaining chain first", () => {
    // Four independent steps of 10 s and a chain a -> b of 10 s each: with 2 slots the chain goes first.
    const steps = [
      { name: "a", after: [], estimateSeconds: 10, noop: false },
      { name: "b", after: ["a"], estimateSeconds: 10, noop: false },
      ...["p", "q", "r", "s"].map((name) => ({ name, after: [], estimateSeconds: 10, noop: false })),
    ];
    expect(simulateSchedule(steps, 2)).toBe(30);
    expect(simulateSchedule(steps, 6)).toBe(20);
    expect(simulateSchedule(steps, 1)).toBe(60);
  });
});
