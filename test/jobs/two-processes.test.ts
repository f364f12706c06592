// Two bot processes on one PostgreSQL database fire the same ticks of every job at the same moment: the
// job log shows one run per job and tick, each job's work happened once (the probe's audit rows), and
// each audit digest was posted once per channel through the Slack Web API stand-in.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { SlackWebApiStandIn, loadSlackSpecValidator } from "../../src/playground/slack/index.js";
import { SLACK_API_SPEC_PATH } from "../playground/slack/spec-path.js";
import { createTestDatabaseUrl } from "../support/databases.js";

const TICKS = ["2026-11-29T09:00:00.000Z", "2026-11-30T09:00:00.000Z"];
const CHANNELS = ["C0ALL0001", "C0PROD001"];
const JOBS = ["close-idle-sessions", "resume-abandoned-operations", "resume-abandoned-environment-runs", "prune-delivery-keys", "deliver-notifications", "expire-access-requests", "expire-access", "warn-expiring-access", "expire-locks", "remind-lock-holders", "state-sync", "prune-job-log", "audit-digest", "audit-digest-retry", "probe"];

type Child = ChildProcessByStdio<Writable, Readable, Readable>;
interface FireOutcome {
  job: string;
  tick: string;
  outcome: string;
}

// Replicas share PostgreSQL; with SQLite one process runs the jobs (job-runner.test.ts covers it).
describe.runIf(Boolean(inject("postgresTemplate")))("two bot processes, one database [postgresql]", () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let standIn: SlackWebApiStandIn;

  beforeAll(async () => {
    database = await createTestDatabaseUrl("postgresql");
    db = await openDatabase(database.url);
    standIn = await SlackWebApiStandIn.start({ validator: loadSlackSpecValidator(SLACK_API_SPEC_PATH) });
    standIn.addChannel({ id: CHANNELS[0], name: "vm-audit" });
    standIn.addChannel({ id: CHANNELS[1], name: "prod-audit" });
  });
  afterAll(async () => {
    await db?.close();
    await standIn?.close();
    await database?.drop();
  });

  function startProcess(ownerId: string): { child: Child; ready: Promise<void>; result: Promise<FireOutcome[]> } {
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/job-runner-process.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        OWNER_ID: ownerId,
        TICKS: TICKS.join(","),
        SLACK_API_URL: standIn.apiUrl,
        SLACK_BOT_TOKEN: standIn.botToken,
        AUDIT_DIGEST_CHANNEL: `${CHANNELS[0]},${CHANNELS[1]}:env=prod`,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    const output: string[] = [];
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    lines.on("line", (line) => {
      if (line === "ready") markReady();
      else output.push(line);
    });
    const result = new Promise<FireOutcome[]>((resolve, reject) => {
      child.on("exit", (code) => {
        if (code !== 0) reject(new Error(`${ownerId} exited with ${code}: ${stderr}`));
        else resolve(JSON.parse(output.at(-1) ?? "[]") as FireOutcome[]);
      });
    });
    return { child, ready, result };
  }

  it("runs each job once per tick: one job-log row, one probe run, one digest per channel and period", async () => {
    const processes = [startProcess("bot-a"), startProcess("bot-b")];
    await Promise.all(processes.map((each) => each.ready));
    for (const each of processes) each.child.stdin.write("go\n"); // both fire together
    const [a, b] = await Promise.all(processes.map((each) => each.result));

    // Every job at every tick was fired by both; exactly one of them ran it.
    for (const job of JOBS) {
      for (const tick of TICKS) {
        const outcomes = [a!, b!].map((fired) => fired.find((entry) => entry.job === job && entry.tick === tick)!.outcome).sort();
        expect(outcomes, `${job} at ${tick}`).toEqual(["ran", "skipped"]);
      }
    }
    const runs = await db.prisma.jobRun.findMany({ orderBy: [{ job: "asc" }, { tick: "asc" }] });
    expect(runs).toHaveLength(JOBS.length * TICKS.length);
    expect(runs.every((run) => run.status === "succeeded" && run.finishedAt && ["bot-a", "bot-b"].includes(run.ownerId))).toBe(true);

    const probeRows = await db.prisma.auditLog.findMany({ where: { source: "schedule", action: "view" } });
    expect(probeRows.map((row) => (row.details as { probe: string }).probe).sort()).toEqual(TICKS);

    const posts = standIn.callsTo("chat.postMessage");
    expect(posts.map((call) => call.args.channel).sort()).toEqual([CHANNELS[0], CHANNELS[0], CHANNELS[1], CHANNELS[1]]);
    expect(standIn.conversation(CHANNELS[0]!).filter((message) => message.bot_id)).toHaveLength(2);
    const digests = await db.prisma.auditDigest.findMany();
    expect(digests).toHaveLength(4);
    expect(digests.every((digest) => digest.status === "posted" && digest.attempts === 1)).toBe(true);
    expect(standIn.violations).toEqual([]);
  }, 60_000);
});
