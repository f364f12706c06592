// A bot process is killed (SIGKILL) in the middle of an environment start; another process takes the
// run over once the lease expired and finishes it, and no VM is asked to start twice.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { describeEachDialect } from "../../support/dialects.js";
import { createTestDatabaseUrl } from "../../support/databases.js";
import { openDatabase, type Database } from "../../../src/db/database.js";
import { pollUntil } from "../../support/slack-helpers.js";
import { buildEnvironmentFixture } from "./env-fixture.js";
import { environment, group, vm } from "./specs.js";

describeEachDialect("environment run resumed after SIGKILL", (dialect) => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createTestDatabaseUrl(dialect);
    drop = created.drop;
    db = await openDatabase(created.url);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it("finishes the run in another process with exactly one start call per VM", { timeout: 60_000 }, async () => {
    const f = buildEnvironmentFixture(db);
    // A chain: one step in flight at a time, so the kill lands right after b's start was accepted.
    await f.declare({ environments: [environment("chain", [group("all", 0, [vm("a", 0), vm("b", 1, ["a"]), vm("c", 2, ["b"]), vm("d", 3, ["c"])])])], vms: [] });
    await f.actor("operator");
    const log = join(inject("testWorkDir"), `env-run-${dialect}-${process.pid}.log`);
    const child = spawn(process.execPath, ["--import", "tsx", "test/services/environments/environment-run-child.ts", db.url, log], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const lines = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
    await pollUntil(async () => lines().includes("start b"), 30_000);
    child.kill("SIGKILL");
    await exited;
    expect(lines()).not.toContain("done");
    const operationId = Number(lines()[0]!.split(" ")[1]);

    // Another process, past the dead owner's lease: takes the run over and finishes it.
    const survivor = f.service({ ownerId: "survivor", now: () => new Date(Date.now() + 120_000) });
    expect(await survivor.resumeAbandonedRuns()).toEqual([operationId]);
    const progress = await survivor.getProgress(operationId);
    expect(progress.status).toBe("succeeded");

    const startsByChild = lines().filter((line) => line.startsWith("start ")).map((line) => line.slice(6));
    const startsBySurvivor = f.calls.map((call) => call.vm);
    const all = [...startsByChild, ...startsBySurvivor].sort();
    expect(all).toEqual(["a", "b", "c", "d"]);
    expect(startsBySurvivor).not.toContain("b");
    expect(await db.prisma.vm.count({ where: { status: "running" } })).toBe(4);
  });
});
