// One bot replica for the two-process test: the real services against DATABASE_URL (PostgreSQL) with
// a counting wrapper around the simulator cloud. Reports one JSON line per event on stdout.
//   REPLICA_ROLE=request  starts VM_NAME (names, comma-separated) as ACTOR (a Slack user id) and follows it (heartbeats) until killed
//   REPLICA_ROLE=resume   runs the resume job every RESUME_EVERY_MS and reports each round
// Timing: LEASE_MS, HEARTBEAT_MS, POLL_MS, SIM_LATENCY_MS.
import { openDatabase } from "../../src/db/database.js";
import { createSimulatedRegistry } from "../../src/providers/registry.js";
import { createServices } from "../../src/services/index.js";
import { newProcessOwnerId } from "../../src/services/operation-lease.js";
import { toActor } from "../../src/services/user-service.js";
import { countingRegistry } from "./counting-provider.js";

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const report = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ ...event, at: Date.now() })}\n`);

const db = await openDatabase(env("DATABASE_URL"));
const counter = countingRegistry(
  createSimulatedRegistry({ prisma: db.prisma, latencyMs: Number(env("SIM_LATENCY_MS", "0")), jitterMs: 0, failureRate: 0, throttleRate: 0, pollIntervalMs: 50 }),
);
const ownerId = newProcessOwnerId();
const services = createServices(db, counter.registry, {
  admins: [],
  operators: [],
  defaultRole: "viewer",
  sessionIdleMinutes: 480,
  pollIntervalMs: Number(env("POLL_MS", "100")),
  operationTimeoutMs: 120_000,
  ownerId,
  leaseMs: Number(env("LEASE_MS")),
  heartbeatMs: Number(env("HEARTBEAT_MS")),
});
const powerCalls = () => counter.powerCalls().length;

if (env("REPLICA_ROLE") === "request") {
  const actor = toActor(await db.prisma.user.findFirstOrThrow({ where: { slackUserId: env("ACTOR") } }));
  const request = await services.vmActions.requestVmAction({ actor, source: "slack_command" }, "start", { names: env("VM_NAME").split(",") });
  report({ event: "requested", ownerId, operationId: request.operationId, outcome: request.results[0]?.outcome, powerCalls: powerCalls() });
  const final = await services.vmActions.trackOperation(request.operationId, { onProgress: (progress) => void report({ event: "progress", status: progress.status }) });
  report({ event: "finished", status: final.status, powerCalls: powerCalls() });
  setInterval(() => undefined, 60_000); // stay up until killed
} else {
  report({ event: "ready", ownerId });
  const every = Number(env("RESUME_EVERY_MS", "100"));
  for (;;) {
    const startedAt = Date.now();
    const taken = await services.vmActions.resumeAbandonedOperations();
    report({ event: "round", startedAt, taken, powerCalls: powerCalls() });
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
