// The environment surfaces stay inside Slack's limits at any size, and say what matters: the tree, the
// critical path, failures first with the provider's words, Retry failed only when something failed.
import { describe, expect, it } from "vitest";
import type { EnvironmentProgress, StepProgress } from "../../../src/services/environments/execution-model.js";
import { buildPlan, type PlanInput } from "../../../src/services/environments/plan.js";
import { renderEnvironmentConfirm, renderEnvironmentDetail, renderEnvironmentList, renderEnvironmentPlan, renderEnvironmentProgress } from "../../../src/slack/views/environments.js";
import { blocksText as allText } from "../../support/slack-helpers.js";
import { buttonsNamed, messageProblems } from "./slack-limits.js";

const LONG = "x".repeat(60);

function bigInput(groups: number, perGroup: number): PlanInput {
  let id = 0;
  return {
    environmentId: 1,
    environment: `env-${LONG}`,
    groups: Array.from({ length: groups }, (_, g) => ({
      name: `group-${g}-${LONG}`,
      sequence: g,
      dependsOn: g ? [`group-${g - 1}-${LONG}`] : [],
      settleSeconds: 10,
      vms: Array.from({ length: perGroup }, (_, v) => ({
        vmId: ++id,
        name: `vm-${g}-${v}-${LONG}`,
        group: `group-${g}-${LONG}`,
        status: "stopped",
        dependsOn: v ? [`vm-${g}-${v - 1}-${LONG}`] : [],
      })),
    })),
  };
}

function progressOf(states: StepProgress["state"][]): EnvironmentProgress {
  const steps = states.map((state, index): StepProgress => ({
    vmId: index + 1,
    name: `vm-${index}`,
    group: index < 2 ? "database" : "app",
    state,
    noop: false,
    message: state === "failed" ? "InsufficientInstanceCapacity: no capacity" : state === "skipped" ? "because vm-0 failed" : null,
    waitingFor: state === "waiting" ? "waiting for vm-0: readiness check tcp 10.0.0.1:5432" : null,
    startedAt: null,
    finishedAt: null,
    readyAt: null,
    providerCalledAt: null,
  }));
  const counts = { pending: 0, waiting: 0, in_progress: 0, completed: 0, failed: 0, skipped: 0 };
  for (const step of steps) counts[step.state]++;
  const finished = !steps.some((step) => ["pending", "waiting", "in_progress"].includes(step.state));
  return {
    operationId: 7,
    environmentId: 1,
    environment: "demo",
    action: "start",
    status: finished ? (counts.failed ? "partial" : "succeeded") : "running",
    requestedById: 1,
    steps,
    counts,
    createdAt: new Date(0),
    finishedAt: null,
  };
}

describe("environment views", () => {
  it("stay within Slack's limits for a large environment", () => {
    const input = bigInput(12, 15);
    const plan = buildPlan(input, "start", { concurrency: 5, history: new Map(), defaultStepSeconds: 90 });
    const detail = renderEnvironmentDetail({
      id: 1,
      name: input.environment,
      description: LONG.repeat(10),
      groups: input.groups.map((group) => ({ name: group.name, dependsOn: group.dependsOn, settleSeconds: 10, vms: group.vms.map((vm) => ({ id: vm.vmId, name: vm.name, status: vm.status, dependsOn: vm.dependsOn, readiness: "tcp 10.0.0.1:5432" })) })),
    });
    const list = renderEnvironmentList(Array.from({ length: 120 }, (_, index) => ({ id: index, name: `env-${index}-${LONG}`, description: LONG, running: 1, total: 15, lockedBy: LONG, lastRun: null })));
    for (const message of [renderEnvironmentPlan(plan), renderEnvironmentConfirm(plan), detail, list]) expect(messageProblems(message)).toEqual([]);
  });

  it("show draws dependencies as an indented tree", () => {
    const text = allText(
      renderEnvironmentDetail({
        id: 1,
        name: "demo",
        description: null,
        groups: [{ name: "database", dependsOn: [], settleSeconds: 30, vms: [
          { id: 1, name: "db", status: "running", dependsOn: [], readiness: "tcp 10.0.0.1:5432" },
          { id: 2, name: "replica", status: "stopped", dependsOn: ["db"], readiness: null },
        ] }],
      }).blocks,
    );
    expect(text).toContain("*1. database* · settles 30 s\n:large_green_circle: `db` running · ready when tcp 10.0.0.1:5432\n      └ :white_circle: `replica` stopped");
  });

  it("the plan names the critical path and the estimate; the confirm button asks once more", () => {
    const plan = buildPlan(bigInput(2, 2), "start", { concurrency: 5, history: new Map(), defaultStepSeconds: 60 });
    const confirm = renderEnvironmentConfirm(plan);
    expect(allText(confirm.blocks)).toMatch(/Critical path: .*vm-0-0.* → .*vm-1-1.* \(5 min\)\. Estimated 5 min with at most 5 VMs at once\./);
    const [button] = buttonsNamed(confirm.blocks, "env_run");
    expect(button).toMatchObject({ confirm: { text: { text: "Start 4 of 4 VMs in dependency order (about 5 min)." } } });
  });

  it("progress: failures first with the provider's words, what is waited on, Cancel while it runs, Retry failed once it ended", () => {
    const running = renderEnvironmentProgress(progressOf(["failed", "completed", "waiting", "pending"]), "U1");
    const text = allText(running.blocks);
    expect(text.indexOf("InsufficientInstanceCapacity")).toBeLessThan(text.indexOf("*database*"));
    expect(text).toContain("Now: :hourglass_flowing_sand: `vm-2` waiting: waiting for vm-0: readiness check tcp 10.0.0.1:5432");
    expect(buttonsNamed(running.blocks, "env_retry")).toEqual([]);
    expect(buttonsNamed(running.blocks, "env_cancel")).toMatchObject([{ value: "7" }]);
    const ended = renderEnvironmentProgress(progressOf(["failed", "completed", "skipped", "skipped"]), "U1");
    expect(ended.text).toBe("Starting demo partly failed: 1/4 done, 1 failed, 2 skipped");
    expect(buttonsNamed(ended.blocks, "env_retry")).toMatchObject([{ value: "7" }]);
    expect(buttonsNamed(ended.blocks, "env_cancel")).toEqual([]);
    expect(buttonsNamed(renderEnvironmentProgress(progressOf(["completed", "completed", "completed", "completed"]), "U1").blocks, "env_retry")).toEqual([]);
  });
});
