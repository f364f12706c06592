// kill -9 of the bot in the middle of a VM batch on SQLite, where one process runs the bot: after the
// restart (a new process on the same file) the batch resumes and finishes, no VM is asked twice, and
// each VM's intent and outcome are audited once. (PostgreSQL, two live replicas: replicas.test.ts.)
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../../src/db/database.js";
import { createTestDatabaseUrl } from "../../support/databases.js";
import { buildFixture } from "../../support/fixtures.js";

interface ReplicaEvent {
  event: string;
  [key: string]: unknown;
}

const LEASE_MS = 1500;
const NAMES = ["web-01", "web-02", "web-03", "web-04", "web-05"];

/** A bot process (test/support/replica-process.ts); `next` resolves with its first event that matches. */
function startProcess(url: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/replica-process.ts"], {
    env: { ...process.env, LEASE_MS: String(LEASE_MS), HEARTBEAT_MS: "200", POLL_MS: "50", ...env, DATABASE_URL: url, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: ReplicaEvent[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => events.push(JSON.parse(line) as ReplicaEvent));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  async function next(match: (event: ReplicaEvent) => boolean, timeoutMs = 90_000): Promise<ReplicaEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = events.find(match);
      if (seen) return seen;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`event not seen (exit ${child.exitCode}); events: ${JSON.stringify(events.slice(-5))}; stderr:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { child, events, next, exited };
}

describe("Reliability: kill -9 during a VM batch [sqlite]", () => {
  let db: Database;
  let url: string;
  const children: ReturnType<typeof startProcess>[] = [];
  beforeAll(async () => {
    ({ url } = await createTestDatabaseUrl("sqlite"));
    db = await openDatabase(url);
  });
  afterAll(async () => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await db?.close();
  });

  it("after the restart the batch resumes and finishes: every VM running, one cloud call each, every audit entry there once", { timeout: 240_000 }, async () => {
    const fixture = buildFixture(db);
    await fixture.addUser("U0OPS", "operator");
    for (const name of NAMES) await fixture.addVm(name, { status: "stopped" });

    // The cloud takes a while (3 s): the process is killed while it follows the batch.
    const first = startProcess(url, { REPLICA_ROLE: "request", ACTOR: "U0OPS", VM_NAME: NAMES.join(","), SIM_LATENCY_MS: "3000" });
    children.push(first);
    const requested = await first.next((event) => event.event === "requested");
    expect(requested).toMatchObject({ outcome: "accepted", powerCalls: 1 }); // one batch call for the five
    first.child.kill("SIGKILL");
    await first.exited;
    const operationId = requested.operationId as number;
    expect((await db.prisma.operationExecution.findUniqueOrThrow({ where: { id: operationId } })).status).toBe("running");

    const second = startProcess(url, { REPLICA_ROLE: "resume", RESUME_EVERY_MS: "100", SIM_LATENCY_MS: "3000" });
    children.push(second);
    const takeover = await second.next((event) => event.event === "round" && event.taken === 1);
    expect(takeover.powerCalls).toBe(0); // it only followed what the dead process had asked for
    second.child.kill("SIGKILL");
    await second.exited;
    expect(second.events.filter((event) => event.event === "round" && (event.taken as number) > 0)).toHaveLength(1);

    const operation = await db.prisma.operationExecution.findUniqueOrThrow({ where: { id: operationId }, include: { vms: true } });
    expect(operation.status).toBe("succeeded");
    expect(operation.vms.map((row) => row.status)).toEqual(Array(NAMES.length).fill("succeeded"));
    const vms = await db.prisma.vm.findMany({ orderBy: { name: "asc" } });
    expect(vms.map((vm) => [vm.name, vm.status, vm.claimAction])).toEqual(NAMES.map((name) => [name, "running", null]));
    const audit = await db.prisma.auditLog.findMany({ where: { action: "vm_start" }, orderBy: { id: "asc" } });
    for (const vm of vms) expect(audit.filter((entry) => entry.vmId === vm.id).map((entry) => entry.outcome)).toEqual(["initiated", "succeeded"]);
    expect(audit).toHaveLength(2 * NAMES.length);
  });
});
