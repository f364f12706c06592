// kill -9 of the bot in the middle of an environment start (three groups with dependencies, a cloud that
// takes its time): a new process started on the same database takes the run over once the dead one's
// lease ran out and finishes it. Every VM ends running, each VM's start reached the cloud once over both
// processes (a call the dead process logged but never got out is asked again), and the run's audit
// (intent, outcome) is there exactly once.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { openDatabase, type Database } from "../../../src/db/database.js";
import { createTestDatabaseUrl } from "../../support/databases.js";
import { describeEachDialect } from "../../support/dialects.js";
import { pollUntil } from "../../support/slack-helpers.js";
import { buildEnvironmentFixture } from "../environments/env-fixture.js";
import { environment, group, vm } from "../environments/specs.js";

const LEASE_MS = 1500;

describeEachDialect("Reliability: kill -9 during an environment start", (dialect) => {
  let db: Database;
  let url: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ url, drop } = await createTestDatabaseUrl(dialect));
    db = await openDatabase(url);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  function startProcess(role: "request" | "resume", log: string) {
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/environment-run-process.ts"], {
      env: { ...process.env, ROLE: role, CALL_LOG: log, DATABASE_URL: url, ENVIRONMENT: "shop", LEASE_MS: String(LEASE_MS), HEARTBEAT_MS: "200", SIM_LATENCY_MS: "400" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
  }

  it("a new process resumes the run and finishes it: all running, one cloud call per VM, intent and outcome audited once", { timeout: 240_000 }, async () => {
    const f = buildEnvironmentFixture(db);
    // data (two databases in parallel) -> app (api waits for cache too) -> web
    await f.declare({
      environments: [
        environment("shop", [
          group("data", 0, [vm("db-1", 0), vm("db-2", 1)]),
          group("app", 1, [vm("cache", 0), vm("api", 1, ["cache"])], ["data"]),
          group("web", 2, [vm("web-1", 0), vm("web-2", 1)], ["app"]),
        ]),
      ],
      vms: [],
    });
    await f.actor("operator");
    const log = join(inject("testWorkDir"), `kill-env-${dialect}-${process.pid}.log`);
    const raw = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
    const lines = () => raw().map((line) => line.replace(/ @\d+$/, "")); // without the time of each line

    // The first process gets through the data group and is killed once it asked for the app group's first VM.
    const first = startProcess("request", log);
    await pollUntil(async () => lines().includes("request call start cache") || first.child.exitCode !== null, 90_000);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(lines(), first.stderr()).toContain("request call start cache");
    expect(lines().some((line) => line.startsWith("request done"))).toBe(false);
    const operationId = Number(lines().find((line) => line.startsWith("request run "))!.split(" ")[2]);
    expect((await db.prisma.operationExecution.findUniqueOrThrow({ where: { id: operationId } })).status).toBe("running");
    // The kill lands just after the process logged its call to the cloud: the call reached the cloud, or
    // died with the process. What the cloud shows decides what the new process must do about "cache".
    const cache = await db.prisma.vm.findUniqueOrThrow({ where: { name: "cache" } });
    const landed = (await db.prisma.simulatedInstance.findUniqueOrThrow({ where: { resourceId: cache.providerResourceId } })).state !== "stopped";

    // "After restart": a new process on the same database.
    const second = startProcess("resume", log);
    expect(await second.exited, second.stderr()).toBe(0);
    expect(lines()).toContain(`resume took ${operationId}`);

    // Each VM's start reached the cloud exactly once: "cache" is asked again only if the dead process's
    // call never arrived (then the new process must ask, or it would wait for a VM nobody moved).
    const calls = lines().filter((line) => line.includes(" call "));
    const resumedCalls = calls.filter((line) => line.startsWith("resume")).map((line) => line.split(" ").at(-1));
    expect(resumedCalls.sort()).toEqual((landed ? ["api", "web-1", "web-2"] : ["api", "cache", "web-1", "web-2"]).sort());
    const requestCalls = calls.filter((line) => line.startsWith("request")).map((line) => line.split(" ").at(-1));
    expect(requestCalls.sort()).toEqual(["cache", "db-1", "db-2"]);

    const operation = await db.prisma.operationExecution.findUniqueOrThrow({ where: { id: operationId }, include: { vms: true } });
    expect(operation).toMatchObject({ status: "succeeded", leaseExpiresAt: null });
    expect(operation.ownerId).toMatch(/^resume-/);
    expect(operation.vms.map((row) => row.status)).toEqual(Array(6).fill("succeeded"));
    const vms = await db.prisma.vm.findMany();
    expect(vms.map((row) => [row.name, row.status, row.claimOperationId])).toEqual(vms.map((row) => [row.name, "running", null]));
    const instances = await db.prisma.simulatedInstance.findMany();
    expect(instances.every((instance) => ["running", "pending"].includes(instance.state))).toBe(true);

    const audit = await db.prisma.auditLog.findMany({ where: { action: "environment_start" }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => entry.outcome)).toEqual(["initiated", "succeeded"]);
    expect(audit.every((entry) => (entry.details as { operationId?: number }).operationId === operationId)).toBe(true);
  });
});
