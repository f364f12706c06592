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

export function createJobLogService({ prisma, audit }: { prisma: PrismaClient; audit: AuditService }) {
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

  return { recentRuns };
}

export type JobLogService = ReturnType<typeof createJobLogService>;
