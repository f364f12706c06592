// The job runner on each database: one run per job tick even when several runners fire it at once, the
// job execution log, failures logged, a dead owner's run taken over after its lease, missed ticks caught
// up on start. Time is an injected clock: nothing sleeps.
import { expect, it } from "vitest";
import { createJobRunner, type JobDefinition } from "../../src/jobs/job-runner.js";
import { createLogger } from "../../src/logger.js";
import { createAuditService } from "../../src/services/audit-service.js";
import { createJobLogService } from "../../src/services/jobs/job-log-service.js";
import { describeEachDatabase } from "../support/databases.js";

const logger = createLogger("silent");
const LEASE_MS = 60_000;

describeEachDatabase("job runner", (t) => {
  function clock(iso: string) {
    let current = new Date(iso);
    return { now: () => current, set: (next: string) => (current = new Date(next)), advance: (ms: number) => (current = new Date(current.getTime() + ms)) };
  }

  function counting(name: string, cronExpression: string, options: Partial<JobDefinition> = {}) {
    const ticks: string[] = [];
    const job: JobDefinition = {
      name,
      cron: cronExpression,
      run: async (tick) => {
        ticks.push(tick.toISOString());
        return [1, 2, 3];
      },
      ...options,
    };
    return { job, ticks };
  }

  function runner(jobs: JobDefinition[], now: () => Date, ownerId: string) {
    return createJobRunner({ prisma: t.db.prisma, jobs, logger, now, ownerId, leaseMs: LEASE_MS });
  }

  it("runs a tick once and logs who ran it, when, how long and how many records", async () => {
    const time = clock("2026-11-30T09:00:20Z");
    const { job, ticks } = counting("housekeeping", "*/5 * * * *", {
      run: async (tick) => {
        ticks.push(tick.toISOString());
        time.advance(1500); // the work takes 1.5 s of the injected clock
        return { count: 7 };
      },
    });
    const first = runner([job], time.now, "replica-a");
    expect(await first.fire("housekeeping")).toBe("ran");
    expect(await runner([job], time.now, "replica-b").fire("housekeeping")).toBe("skipped");
    expect(ticks).toEqual(["2026-11-30T09:00:00.000Z"]);
    const [run, ...others] = await t.db.prisma.jobRun.findMany();
    expect(others).toEqual([]);
    expect(run).toMatchObject({ job: "housekeeping", tick: new Date("2026-11-30T09:00:00Z"), status: "succeeded", ownerId: "replica-a", records: 7, error: null, attempts: 1 });
    expect(run!.finishedAt!.getTime() - run!.startedAt.getTime()).toBe(1500);
  });

  it("gives each tick to exactly one of many runners firing it at the same time", async () => {
    const time = clock("2026-11-30T10:17:05Z");
    const { job, ticks } = counting("prune", "17 * * * *");
    const runners = Array.from({ length: 4 }, (_, index) => runner([job], time.now, `replica-${index}`));
    const outcomes = await Promise.all(runners.flatMap((each) => [each.fire("prune"), each.fire("prune"), each.runTick("prune", new Date("2026-11-30T10:17:00Z"))]));
    expect(outcomes.filter((outcome) => outcome === "ran")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === "skipped")).toHaveLength(11);
    expect(ticks).toEqual(["2026-11-30T10:17:00.000Z"]);
    expect(await t.db.prisma.jobRun.count()).toBe(1);
  });

  it("does nothing when fired outside the job's minute", async () => {
    const time = clock("2026-11-30T10:20:00Z");
    const { job, ticks } = counting("prune", "17 * * * *");
    expect(await runner([job], time.now, "replica-a").fire("prune")).toBe("skipped");
    expect(ticks).toEqual([]);
  });

  it("logs a failed run with its error, and runs the next tick again", async () => {
    const time = clock("2026-11-30T09:00:00Z");
    let fail = true;
    const job: JobDefinition = {
      name: "flaky",
      cron: "* * * * *",
      run: async () => {
        if (fail) throw new Error("provider throttled us");
        return 2;
      },
    };
    const each = runner([job], time.now, "replica-a");
    expect(await each.fire("flaky")).toBe("failed");
    fail = false;
    time.advance(60_000);
    expect(await each.fire("flaky")).toBe("ran");
    const runs = await t.db.prisma.jobRun.findMany({ orderBy: { tick: "asc" } });
    expect(runs.map((run) => [run.status, run.error, run.records])).toEqual([
      ["failed", "provider throttled us", null],
      ["succeeded", null, 2],
    ]);
  });

  it("takes over a run whose owner died, only after its lease expired, and runs it once", async () => {
    const time = clock("2026-11-30T09:00:10Z");
    const tick = new Date("2026-11-30T09:00:00Z");
    // A process claimed the tick and died: its row stays `running` with a lease it no longer renews.
    await t.db.prisma.jobRun.create({ data: { job: "sessions", tick, status: "running", ownerId: "dead-replica", startedAt: time.now(), leaseExpiresAt: new Date(time.now().getTime() + LEASE_MS) } });
    const { job, ticks } = counting("sessions", "* * * * *");
    const survivors = [runner([job], time.now, "replica-b"), runner([job], time.now, "replica-c")];

    expect(await survivors[0]!.runTick("sessions", tick)).toBe("skipped"); // the lease still holds
    expect(ticks).toEqual([]);

    time.advance(LEASE_MS + 1000);
    const outcomes = await Promise.all(survivors.map((each) => each.takeOverAbandoned("sessions")));
    expect(outcomes.flat().sort()).toEqual(["skipped", "took_over"]);
    expect(ticks).toEqual([tick.toISOString()]);
    const run = await t.db.prisma.jobRun.findUniqueOrThrow({ where: { job_tick: { job: "sessions", tick } } });
    expect(run.status).toBe("succeeded");
    expect(["replica-b", "replica-c"]).toContain(run.ownerId);
    expect(run.attempts).toBe(2);
  });

  it("the next tick takes over an abandoned earlier run before running its own", async () => {
    const time = clock("2026-11-30T09:05:00Z");
    const stale = new Date("2026-11-30T09:00:00Z");
    await t.db.prisma.jobRun.create({ data: { job: "sessions", tick: stale, status: "running", ownerId: "dead-replica", startedAt: stale, leaseExpiresAt: new Date(stale.getTime() + LEASE_MS) } });
    const { job, ticks } = counting("sessions", "*/5 * * * *");
    expect(await runner([job], time.now, "replica-b").fire("sessions")).toBe("ran");
    expect(ticks).toEqual(["2026-11-30T09:00:00.000Z", "2026-11-30T09:05:00.000Z"]);
    expect((await t.db.prisma.jobRun.findMany({ orderBy: { tick: "asc" } })).map((run) => run.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("on start runs a catch-up job's missed tick once, in the job's time zone, and leaves other jobs to their schedule", async () => {
    // 09:00 in Paris is 08:00 UTC; the bot starts at 10:30 UTC having been down at 08:00.
    const time = clock("2026-11-30T10:30:00Z");
    const digest = counting("digest", "0 9 * * *", { timezone: "Europe/Paris", catchUp: true });
    const other = counting("nightly", "0 3 * * *");
    const a = runner([digest.job, other.job], time.now, "replica-a");
    const b = runner([digest.job, other.job], time.now, "replica-b");
    await Promise.all([a.catchUp(), b.catchUp()]);
    await a.catchUp(); // a restart: already ran
    expect(digest.ticks).toEqual(["2026-11-30T08:00:00.000Z"]);
    expect(other.ticks).toEqual([]);
    expect(await t.db.prisma.jobRun.count()).toBe(1);
    a.close();
    b.close();
  });

  it("prunes finished runs past the retention and keeps a running one for its takeover", async () => {
    const time = clock("2026-11-30T12:00:00Z");
    const day = 24 * 3600_000;
    const old = new Date(time.now().getTime() - 20 * day);
    const recent = new Date(time.now().getTime() - day);
    const row = (job: string, tick: Date, status: string) => ({ job, tick, status, ownerId: "x", startedAt: tick, leaseExpiresAt: tick });
    await t.db.prisma.jobRun.createMany({ data: [row("a", old, "succeeded"), row("b", old, "failed"), row("c", old, "running"), row("a", recent, "succeeded")] });
    const log = createJobLogService({ prisma: t.db.prisma, audit: createAuditService(t.db.prisma, time.now), now: time.now });
    expect(await log.prune(14 * day)).toBe(2);
    expect((await t.db.prisma.jobRun.findMany({ orderBy: { job: "asc" } })).map((run) => run.job)).toEqual(["a", "c"]);
  });
});
