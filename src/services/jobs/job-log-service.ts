// The job execution log as admins read it (`/vm jobs`): the latest runs of each job, newest first.
import type { RequestContext } from "../actor.js";
import type { AuditService } from "../audit-service.js";
import { authorizeOrAuditDenial } from "../guard.js";
import type { PrismaClient } from "../prisma-types.js";

export interface JobRunView {
  tick: Date;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  records: number | null;
  error: string | null;
  ownerId: string;
  attempts: number;
}

export interface JobSummary {
  job: string;
  runs: JobRunView[];
}

const MAX_RUNS_PER_JOB = 10;
/** Finished runs are kept this long: a minutely job writes 1,440 rows a day. */
const JOB_LOG_RETENTION_MS = 14 * 24 * 3600_000;

export function createJobLogService({ prisma, audit, now = () => new Date() }: { prisma: PrismaClient; audit: AuditService; now?: () => Date }) {
  async function recentRuns(ctx: RequestContext, options: { perJob?: number } = {}): Promise<JobSummary[]> {
    const details = { surface: "jobs" };
    await authorizeOrAuditDenial(audit, ctx, "jobs_view", { action: "view", details });
    await audit.record({ actor: ctx.actor, source: ctx.source, action: "view", outcome: "succeeded", details });
    const perJob = Math.min(Math.max(options.perJob ?? 5, 1), MAX_RUNS_PER_JOB);
    const jobs = (await prisma.jobRun.groupBy({ by: ["job"] })).map((row) => row.job).sort();
    return Promise.all(
      jobs.map(async (job) => {
        const rows = await prisma.jobRun.findMany({ where: { job }, orderBy: [{ tick: "desc" }, { id: "desc" }], take: perJob });
        return {
          job,
          runs: rows.map((row) => ({
            tick: row.tick,
            status: row.status,
            startedAt: row.startedAt,
            finishedAt: row.finishedAt,
            durationMs: row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
            records: row.records,
            error: row.error,
            ownerId: row.ownerId,
            attempts: row.attempts,
          })),
        };
      }),
    );
  }

  /** Forgets finished runs older than the retention; a run still `running` stays for its takeover. */
  async function prune(olderThanMs = JOB_LOG_RETENTION_MS): Promise<number> {
    const { count } = await prisma.jobRun.deleteMany({ where: { status: { not: "running" }, tick: { lt: new Date(now().getTime() - olderThanMs) } } });
    return count;
  }

  return { recentRuns, prune };
}

export type JobLogService = ReturnType<typeof createJobLogService>;
