// Two real bot processes on one PostgreSQL database: B's resume job never takes over what A is still
// following (A heartbeats its lease); once A is killed (SIGKILL), B takes over after the lease ran out
// and finishes the operation without asking the cloud again.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { availableDialects, createTestDatabaseUrl } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";

interface ReplicaEvent {
  event: string;
  at: number;
  [key: string]: unknown;
}

const LEASE_MS = 3000;
const TIMING = { LEASE_MS: String(LEASE_MS), HEARTBEAT_MS: "250", POLL_MS: "100" };

function startReplica(url: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/replica-process.ts"], {
    env: { ...process.env, ...TIMING, ...env, DATABASE_URL: url, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: ReplicaEvent[] = [];
  const waiters: { match: (event: ReplicaEvent) => boolean; resolve: (event: ReplicaEvent) => void }[] = [];
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const event = JSON.parse(line) as ReplicaEvent;
    events.push(event);
    for (const waiter of [...waiters]) {
      if (!waiter.match(event)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  /** The first event (seen already or to come) that matches; fails after `timeoutMs` with the child's stderr. */
  function next(match: (event: ReplicaEvent) => boolean, timeoutMs = 30_000): Promise<ReplicaEvent> {
    const seen = events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replica event not seen in ${timeoutMs} ms; stderr:\n${stderr}`)), timeoutMs);
      waiters.push({ match, resolve: (event) => (clearTimeout(timer), resolve(event)) });
    });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, events, next, exited };
}

const postgres = availableDialects().includes("postgresql");

describe.runIf(postgres)("two bot processes on one PostgreSQL", () => {
  let db: Database;
  let drop: () => Promise<void>;
  let url: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabaseUrl("postgresql"));
    db = await openDatabase(url);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await db?.close();
    await drop?.();
  });

  it("B never takes over while A heartbeats; after A is SIGKILLed, B takes over once the lease expired and finishes with no second provider call", { timeout: 90_000 }, async () => {
    const fixture = buildFixture(db);
    await fixture.addUser("U0OPS", "operator");
    const vm = await fixture.addVm("web-01", { status: "stopped" });

    // A: a slow cloud (the start would take ten minutes) that A asks once, then follows.
    const a = startReplica(url, { REPLICA_ROLE: "request", ACTOR: "U0OPS", VM_NAME: "web-01", SIM_LATENCY_MS: "600000" });
    children.push(a.child);
    const requested = await a.next((event) => event.event === "requested");
    expect(requested).toMatchObject({ outcome: "accepted", powerCalls: 1 });
    const operationId = requested.operationId as number;

    // B: the resume job, every 100 ms, for more than twice the lease while A is alive.
    const b = startReplica(url, { REPLICA_ROLE: "resume", RESUME_EVERY_MS: "100" });
    children.push(b.child);
    const ready = await b.next((event) => event.event === "ready");
    const firstRound = await b.next((event) => event.event === "round");
    await b.next((event) => event.event === "round" && event.at - firstRound.at > 2 * LEASE_MS);
    expect(b.events.filter((event) => event.event === "round").every((event) => event.taken === 0)).toBe(true);
    const whileAlive = await db.prisma.operationExecution.findUniqueOrThrow({ where: { id: operationId } });
    expect(whileAlive).toMatchObject({ status: "running", ownerId: requested.ownerId });
    expect(whileAlive.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() - 100);
    expect(await db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).toMatchObject({ status: "starting", claimAction: "vm_start", claimOperationId: operationId });

    // A dies without a word. Then the cloud finishes the start (as it would, minutes later).
    a.child.kill("SIGKILL");
    await a.exited;
    const finalLease = (await db.prisma.operationExecution.findUniqueOrThrow({ where: { id: operationId } })).leaseExpiresAt!.getTime();
    await db.prisma.simulatedInstance.update({ where: { resourceId: vm.providerResourceId }, data: { transitionEndsAt: new Date() } });

    const takeover = await b.next((event) => event.event === "round" && event.taken === 1);
    expect(takeover.at).toBeGreaterThanOrEqual(finalLease); // not before A's last lease ran out
    expect(b.events.filter((event) => event.event === "round" && (event.taken as number) > 0)).toHaveLength(1);
    expect(takeover.powerCalls).toBe(0); // B only polled the VM A had asked about

    const operation = await db.prisma.operationExecution.findUniqueOrThrow({ where: { id: operationId }, include: { vms: true } });
    expect(operation).toMatchObject({ status: "succeeded", ownerId: ready.ownerId, leaseExpiresAt: null });
    expect(operation.vms.map((row) => row.status)).toEqual(["succeeded"]);
    expect(await db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).toMatchObject({ status: "running", claimAction: null });
    const audit = await db.prisma.auditLog.findMany({ where: { vmId: vm.id }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => entry.outcome)).toEqual(["initiated", "succeeded"]);
  });
});
