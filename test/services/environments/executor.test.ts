// Environment runs on both databases: dependency order proven at each provider call, parallel branches,
// stop in reverse, failures skipping dependents, retry of the failed part only, a VM the cloud said it
// started that stayed stopped, readiness checks against real listeners, resume after a crash.
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import { afterEach, expect, it, vi } from "vitest";
import type { EnvironmentPlan } from "../../../src/services/environments/plan.js";
import { ForbiddenError } from "../../../src/services/errors.js";
import { describeEachDatabase } from "../../support/databases.js";
import { buildEnvironmentFixture } from "./env-fixture.js";
import { environment, group, vm } from "./specs.js";

function shop(readiness?: { db?: object }) {
  return {
    environments: [
      environment("shop", [
        group("database", 0, [vm("db", 0, [], readiness?.db ? { readiness: readiness.db as never } : {}), vm("replica", 1, ["db"]), vm("cache", 2)], [], 30),
        group("app", 1, [vm("api", 0), vm("worker", 1, ["api"])], ["database"]),
        group("web", 2, [vm("web-1", 0)], ["app"]),
      ]),
    ],
    vms: [],
  };
}

const listeners: Server[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(server: Server): Promise<number> {
  listeners.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeEachDatabase("environment runs", (t) => {
  function setup() {
    const fixture = buildEnvironmentFixture(t.db);
    const expectPrerequisites = (plan: EnvironmentPlan) => {
      for (const step of plan.steps) fixture.prerequisitesOf.set(step.name, step.after);
    };
    return { ...fixture, expectPrerequisites };
  }

  async function stepRows(operationId: number) {
    const rows = await t.db.prisma.operationVm.findMany({ where: { operationId }, include: { vm: true } });
    return new Map(rows.map((row) => [row.vm.name, row]));
  }

  it("starts each VM only once everything it waits for is verified ready, independent branches in parallel", async () => {
    const f = setup();
    await f.declare(shop());
    const svc = f.service();
    const operator = await f.actor("operator");
    const { operationId, plan } = await svc.requestEnvironmentAction(operator, "shop", "start");
    f.expectPrerequisites(plan);
    const progress = await svc.runExecution(operationId);

    expect(progress.status).toBe("succeeded");
    expect(progress.steps.map((step) => [step.name, step.state])).toEqual(plan.steps.map((step) => [step.name, "completed"]));
    // One call per VM, and at each call every prerequisite was already completed.
    expect(f.calls.map((call) => call.vm).sort()).toEqual(["api", "cache", "db", "replica", "web-1", "worker"]);
    for (const call of f.calls) for (const status of Object.values(call.prerequisites)) expect(["succeeded", "noop"], `${call.vm}`).toContain(status);
    // The same from the recorded timestamps: no cloud call before each prerequisite's readyAt.
    const rows = await stepRows(operationId);
    for (const step of plan.steps) {
      for (const required of step.after) expect(rows.get(step.name)!.providerCalledAt!.getTime()).toBeGreaterThanOrEqual(rows.get(required)!.readyAt!.getTime());
    }
    // db and cache ran side by side: cache was asked before db was ready; the database group settled 30 s.
    expect(rows.get("cache")!.providerCalledAt!.getTime()).toBeLessThan(rows.get("db")!.readyAt!.getTime());
    expect(Math.max(...f.sleeps)).toBeGreaterThan(29_000);
    expect((await t.db.prisma.vm.findMany()).every((row) => row.status === "running" && row.claimAction === null)).toBe(true);
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: "environment_start" }, orderBy: { id: "asc" } });
    expect(audit.map((row) => [row.outcome, row.environmentId])).toEqual([["initiated", plan.environmentId], ["succeeded", plan.environmentId]]);
  });

  it("stops in reverse order: a VM stops only after everything that depends on it stopped", async () => {
    const f = setup();
    await f.declare(shop(), ["db", "replica", "cache", "api", "worker", "web-1"]);
    const svc = f.service();
    const operator = await f.actor("operator");
    const { operationId, plan } = await svc.requestEnvironmentAction(operator, "shop", "stop");
    f.expectPrerequisites(plan);
    expect(plan.steps[0]!.name).toBe("web-1");
    expect(plan.steps.find((step) => step.name === "db")!.after.sort()).toEqual(["api", "replica", "worker"]);
    const progress = await svc.runExecution(operationId);
    expect(progress.status).toBe("succeeded");
    expect(f.calls.every((call) => call.action === "stop")).toBe(true);
    expect(f.calls[0]!.vm).toBe("web-1");
    for (const call of f.calls) for (const status of Object.values(call.prerequisites)) expect(["succeeded", "noop"], call.vm).toContain(status);
    const order = f.calls.map((call) => call.vm);
    expect(order.indexOf("db")).toBeGreaterThan(order.indexOf("replica"));
    expect(order.indexOf("replica")).toBeGreaterThan(order.indexOf("worker"));
    expect(Math.max(...f.sleeps)).toBeLessThan(1000); // no settle delay when stopping
  });

  it("a VM already running is a no-op that still counts as ready once verified", async () => {
    const f = setup();
    await f.declare(shop(), ["db"]);
    const svc = f.service();
    const { operationId, plan } = await svc.requestEnvironmentAction(await f.actor("operator"), "shop", "start");
    f.expectPrerequisites(plan);
    const progress = await svc.runExecution(operationId);
    expect(progress.status).toBe("succeeded");
    expect(progress.steps.find((step) => step.name === "db")).toMatchObject({ state: "completed", noop: true, message: "already running" });
    expect(f.calls.map((call) => call.vm)).not.toContain("db");
  });

  it("a failure skips its dependents (naming it); retry runs only the failed and skipped steps", async () => {
    const f = setup();
    await f.declare(shop());
    const svc = f.service();
    const operator = await f.actor("operator");
    f.faults.set("db", "refuse");
    const { operationId, plan } = await svc.requestEnvironmentAction(operator, "shop", "start");
    f.expectPrerequisites(plan);
    const failed = await svc.runExecution(operationId);
    expect(failed.status).toBe("partial");
    const byName = Object.fromEntries(failed.steps.map((step) => [step.name, [step.state, step.message]]));
    expect(byName).toEqual({
      // The error catalog's words (the cloud's own message stays in the audit).
      db: ["failed", expect.stringMatching(/^The cloud has no spare capacity for this machine's size in its zone right now\. .*\(\w+ InsufficientCapacity\)$/)],
      replica: ["skipped", "because db failed"],
      cache: ["completed", null],
      api: ["skipped", "because db failed"],
      worker: ["skipped", "because db failed"],
      "web-1": ["skipped", "because db failed"],
    });
    expect(f.calls.map((call) => call.vm).sort()).toEqual(["cache", "db"]);
    expect(await t.db.prisma.vm.count({ where: { claimAction: { not: null } } })).toBe(0);

    f.faults.delete("db");
    await svc.retryFailed(operator, operationId);
    const retried = await svc.runExecution(operationId);
    expect(retried.status).toBe("succeeded");
    const counts = Object.fromEntries(["db", "replica", "cache", "api", "worker", "web-1"].map((name) => [name, f.calls.filter((call) => call.vm === name).length]));
    expect(counts).toEqual({ db: 2, replica: 1, cache: 1, api: 1, worker: 1, "web-1": 1 });
    await expect(svc.retryFailed(operator, operationId)).rejects.toThrow(/Nothing to retry/);
  });

  it("the provider said yes but the VM stayed stopped: a failure with that message", async () => {
    const f = setup();
    await f.declare(shop());
    const svc = f.service();
    f.faults.set("web-1", "ignore");
    const { operationId } = await svc.requestEnvironmentAction(await f.actor("operator"), "shop", "start");
    const progress = await svc.runExecution(operationId);
    expect(progress.status).toBe("partial");
    const web = progress.steps.find((step) => step.name === "web-1")!;
    expect(web.state).toBe("failed");
    expect(web.message).toMatch(/^The provider accepted the start request but web-1 stayed stopped/);
  });

  it("readiness checks against real listeners: an open TCP port passes, a closed one fails the step and skips its dependents", async () => {
    const f = setup();
    const open = await listen(createServer((socket) => socket.end()));
    await f.declare(shop({ db: { tcp: { host: "127.0.0.1", port: open } } }));
    const svc = f.service();
    const operator = await f.actor("operator");
    const first = await svc.requestEnvironmentAction(operator, "shop", "start");
    expect((await svc.runExecution(first.operationId)).status).toBe("succeeded");

    const closed = await closedPort();
    await t.db.prisma.vm.update({ where: { name: "db" }, data: { readinessCheck: { tcp: { host: "127.0.0.1", port: closed }, timeoutSeconds: 1 } } });
    const stop = await svc.requestEnvironmentAction(operator, "shop", "stop");
    await svc.runExecution(stop.operationId);
    const again = await svc.requestEnvironmentAction(operator, "shop", "start");
    const progress = await svc.runExecution(again.operationId);
    const db = progress.steps.find((step) => step.name === "db")!;
    expect(db).toMatchObject({ state: "failed", message: `Readiness check tcp 127.0.0.1:${closed} of db did not pass within 1 s (ECONNREFUSED).` });
    expect(progress.steps.find((step) => step.name === "replica")).toMatchObject({ state: "skipped", message: "because db failed" });
  });

  it("an HTTP readiness check waits for a 2xx answer", async () => {
    const f = setup();
    let answers = 0;
    const server = createHttpServer((_request, response) => {
      answers++;
      response.writeHead(answers < 3 ? 503 : 204).end();
    });
    const port = await listen(server as unknown as Server);
    await f.declare(shop({ db: { http: { url: `http://127.0.0.1:${port}/health` } } }));
    const svc = f.service();
    const { operationId } = await svc.requestEnvironmentAction(await f.actor("operator"), "shop", "start");
    expect((await svc.runExecution(operationId)).status).toBe("succeeded");
    expect(answers).toBe(3);
  });

  it("resumes on another replica after the owner died mid-run, without calling the cloud twice for any VM", async () => {
    const f = setup();
    await f.declare(shop());
    const first = f.service({ ownerId: "replica-a" });
    const dead = new AbortController();
    f.faults.set("api", "crash");
    f.crashWhen(() => dead.abort());
    const { operationId, plan } = await first.requestEnvironmentAction(await f.actor("operator"), "shop", "start");
    f.expectPrerequisites(plan);
    void first.runExecution(operationId, { signal: dead.signal });
    await vi.waitFor(() => expect(dead.signal.aborted).toBe(true), { timeout: 10_000, interval: 10 });

    // Replica B, a minute and more later: the lease of A expired, B takes the run over and finishes it.
    const later = f.service({ ownerId: "replica-b", now: () => new Date(Date.now() + 120_000) });
    expect(await later.resumeAbandonedRuns()).toEqual([operationId]);
    const progress = await later.getProgress(operationId);
    expect(progress.status).toBe("succeeded");
    const counts = Object.fromEntries(plan.steps.map((step) => [step.name, f.calls.filter((call) => call.vm === step.name).length]));
    expect(counts).toEqual({ db: 1, replica: 1, cache: 1, api: 1, worker: 1, "web-1": 1 });
    expect((await t.db.prisma.operationExecution.findUniqueOrThrow({ where: { id: operationId } })).ownerId).toBe("replica-b");
    expect(await later.resumeAbandonedRuns()).toEqual([]);
  });

  it("cancel skips the steps not begun (naming who cancelled); retry picks them up", async () => {
    const f = setup();
    await f.declare(shop());
    const svc = f.service();
    const operator = await f.actor("operator");
    const { operationId } = await svc.requestEnvironmentAction(operator, "shop", "start");
    expect(await svc.cancelRun(operator, operationId)).toBe(6);
    const cancelled = await svc.runExecution(operationId);
    expect(cancelled.status).toBe("failed");
    expect(new Set(cancelled.steps.map((step) => `${step.state} ${step.message}`))).toEqual(new Set(["skipped cancelled by operator"]));
    expect(f.calls).toEqual([]);
    await expect(svc.cancelRun(operator, operationId)).rejects.toThrow(/Nothing left to cancel/);
    await svc.retryFailed(operator, operationId);
    expect((await svc.runExecution(operationId)).status).toBe("succeeded");
  });

  it("refuses a viewer, audited as denied with the environment", async () => {
    const f = setup();
    await f.declare(shop());
    const svc = f.service();
    await expect(svc.requestEnvironmentAction(await f.actor("viewer"), "shop", "start")).rejects.toBeInstanceOf(ForbiddenError);
    const environmentId = (await t.db.prisma.environment.findUniqueOrThrow({ where: { name: "shop" } })).id;
    expect(await t.db.prisma.auditLog.findMany({ select: { action: true, outcome: true, environmentId: true } })).toEqual([
      { action: "environment_start", outcome: "denied", environmentId },
    ]);
    expect(await t.db.prisma.operationExecution.count()).toBe(0);
  });

  it("refuses a second run while the first holds the VMs", async () => {
    const f = setup();
    await f.declare(shop());
    const svc = f.service();
    const operator = await f.actor("operator");
    await svc.requestEnvironmentAction(operator, "shop", "start");
    await expect(svc.requestEnvironmentAction(operator, "shop", "start")).rejects.toThrow(/db is busy: environment start requested by operator at \d\d:\d\d UTC/);
  });
});
