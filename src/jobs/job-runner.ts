// Runs each scheduled job once per tick across every process sharing the database, and logs each run.
// A tick is the job's scheduled minute, the same on every replica. The first process to insert the
// (job, tick) row in JobRun runs it (the unique index is the claim); the others skip. The owner renews
// its lease while it runs; a run whose process died keeps status `running` with a lapsing lease, and the
// next process to look (the next tick of that job, or a start-up) takes it over by a conditional update.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.js";
import type { PrismaClient } from "../services/prisma-types.js";

export interface JobDefinition {
  name: string;
  /** Five-field cron expression (minute hour day month weekday): ticks are whole minutes. */
  cron: string;
  timezone?: string;
  /** On start, run the latest tick if no process ran it (the bot was down then), e.g. the daily digest. */
  catchUp?: boolean;
  /** The work for one tick; a number, an array or `{ count }` is logged as the records processed. */
  run(tick: Date): Promise<unknown>;
}

export type TickOutcome = "ran" | "took_over" | "failed" | "skipped";

export interface JobRunnerOptions {
  prisma: PrismaClient;
  jobs: JobDefinition[];
  logger: Logger;
  /** Names this process in the log; defaults to host, pid and a random suffix. */
  ownerId?: string;
  now?: () => Date;
  /** How long a run's claim holds without a heartbeat before another process may take it over. */
  leaseMs?: number;
  heartbeatMs?: number;
}

const MINUTE_MS = 60_000;
/** How far back start-up looks for a missed tick: covers daily and weekly schedules. */
const CATCH_UP_LOOKBACK_MINUTES = 8 * 24 * 60;
const MAX_ERROR_LENGTH = 1000;

export function defaultOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export function createJobRunner(options: JobRunnerOptions) {
  const { prisma, logger } = options;
  const now = options.now ?? (() => new Date());
  const ownerId = options.ownerId ?? defaultOwnerId();
  const leaseMs = options.leaseMs ?? 5 * MINUTE_MS;
  const heartbeatMs = options.heartbeatMs ?? Math.max(1000, Math.floor(leaseMs / 3));
  const log = logger.child({ component: "jobs", ownerId });
  // Unstarted tasks, used only to ask "does this minute match?" in the job's time zone.
  const matchers = new Map<string, ScheduledTask>(options.jobs.map((job) => [job.name, cron.createTask(job.cron, () => undefined, { timezone: job.timezone, name: `${job.name}:matcher` })]));

  function jobNamed(name: string): JobDefinition {
    const job = options.jobs.find((candidate) => candidate.name === name);
    if (!job) throw new Error(`no job named ${name}`);
    return job;
  }

  /** The latest tick of `name` at or before `at`, looking back at most `lookbackMinutes`. */
  function latestTick(name: string, at: Date, lookbackMinutes: number): Date | undefined {
    const matcher = matchers.get(name)!;
    const start = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
    for (let minutes = 0; minutes <= lookbackMinutes; minutes++) {
      const candidate = new Date(start - minutes * MINUTE_MS);
      if (matcher.match(candidate)) return candidate;
    }
    return undefined;
  }

  /** Claims (job, tick) by inserting its row; else takes over the run if its owner's lease lapsed. */
  async function claim(name: string, tick: Date): Promise<{ id: number; tookOver: boolean } | undefined> {
    const startedAt = now();
    const lease = new Date(startedAt.getTime() + leaseMs);
    try {
      const row = await prisma.jobRun.create({ data: { job: name, tick, status: "running", ownerId, startedAt, leaseExpiresAt: lease } });
      return { id: row.id, tookOver: false };
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
    const { count } = await prisma.jobRun.updateMany({
      where: { job: name, tick, status: "running", leaseExpiresAt: { lt: startedAt } },
      data: { ownerId, startedAt, leaseExpiresAt: lease, attempts: { increment: 1 } },
    });
    if (count === 0) return undefined;
    const row = await prisma.jobRun.findUniqueOrThrow({ where: { job_tick: { job: name, tick } }, select: { id: true } });
    return { id: row.id, tookOver: true };
  }

  /** Runs `name` for `tick` unless another process has it (or had it). */
  async function runTick(name: string, tick: Date): Promise<TickOutcome> {
    const job = jobNamed(name);
    const claimed = await claim(name, tick);
    if (!claimed) return "skipped";
    if (claimed.tookOver) log.warn({ job: name, tick }, "took over a run whose owner's lease expired");
    const heartbeat = setInterval(() => {
      prisma.jobRun
        .updateMany({ where: { id: claimed.id, ownerId }, data: { leaseExpiresAt: new Date(now().getTime() + leaseMs) } })
        .catch((error: unknown) => log.warn({ err: error, job: name }, "could not renew the job lease"));
    }, heartbeatMs);
    heartbeat.unref();
    try {
      const result = await job.run(tick);
      await finish(claimed.id, { status: "succeeded", records: recordsOf(result) });
      log.debug({ job: name, tick, result }, "job done");
      return claimed.tookOver ? "took_over" : "ran";
    } catch (error) {
      log.error({ err: error, job: name, tick }, "job failed");
      await finish(claimed.id, { status: "failed", error: String((error as Error)?.message ?? error).slice(0, MAX_ERROR_LENGTH) });
      return "failed";
    } finally {
      clearInterval(heartbeat);
    }
  }

  // Conditional on the owner: a process that lost its lease does not overwrite the one that took over.
  async function finish(id: number, outcome: { status: "succeeded" | "failed"; records?: number | null; error?: string }) {
    await prisma.jobRun.updateMany({ where: { id, ownerId }, data: { ...outcome, finishedAt: now() } });
  }

  /** Earlier runs of `name` left `running` by a dead process: run each again, once, by whoever claims it. */
  async function takeOverAbandoned(name: string): Promise<TickOutcome[]> {
    const abandoned = await prisma.jobRun.findMany({ where: { job: name, status: "running", leaseExpiresAt: { lt: now() } }, orderBy: { tick: "asc" }, take: 10 });
    const outcomes: TickOutcome[] = [];
    for (const run of abandoned) outcomes.push(await runTick(name, run.tick));
    return outcomes;
  }

  /** What the schedule calls: this minute's tick of the job, after any abandoned earlier run of it. */
  async function fire(name: string): Promise<TickOutcome> {
    await takeOverAbandoned(name);
    const tick = latestTick(name, now(), 1);
    if (!tick) return "skipped"; // fired outside its minute (a clock jump): nothing due
    return runTick(name, tick);
  }

  /** On start: abandoned runs, and the latest tick of each catch-up job when no process ran it. */
  async function catchUp(): Promise<void> {
    for (const job of options.jobs) {
      await takeOverAbandoned(job.name);
      if (!job.catchUp) continue;
      const tick = latestTick(job.name, now(), CATCH_UP_LOOKBACK_MINUTES);
      if (tick) await runTick(job.name, tick);
    }
  }

  function close(): void {
    for (const matcher of matchers.values()) void matcher.destroy();
  }

  return { ownerId, jobs: options.jobs, latestTick, runTick, fire, catchUp, takeOverAbandoned, close };
}

export type JobRunner = ReturnType<typeof createJobRunner>;

function recordsOf(result: unknown): number | null {
  if (typeof result === "number" && Number.isFinite(result)) return Math.trunc(result);
  if (Array.isArray(result)) return result.length;
  const count = (result as { count?: unknown } | null)?.count;
  return typeof count === "number" ? count : null;
}
