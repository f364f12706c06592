// Scheduled jobs. node-cron fires each on every replica; the job runner (job-runner.ts) lets one process
// run each tick and writes the job execution log that `/vm jobs` shows.
import cron, { type ScheduledTask } from "node-cron";
import type { WebClient } from "@slack/web-api";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { PrismaClient } from "../services/prisma-types.js";
import type { Services } from "../services/index.js";
import { createJobRunner, type JobDefinition, type JobRunner } from "./job-runner.js";
import { slackDigestPoster } from "./post-audit-digest.js";

const DEFAULT_STATE_SYNC_CRON = "*/5 * * * *";

export interface Jobs {
  runner: JobRunner;
  stop(): Promise<void>;
}

export interface JobsInput {
  services: Services;
  prisma: PrismaClient;
  logger: Logger;
  config: Pick<Config, "AUDIT_DIGEST_CHANNEL" | "AUDIT_DIGEST_CRON" | "AUDIT_DIGEST_TZ"> & Partial<Pick<Config, "STATE_SYNC_CRON">>;
  /** Posts the audit digests (chat.postMessage). */
  slackClient: WebClient;
}

/** Every scheduled job, one line each. */
export function scheduledJobs({ services, config, slackClient }: Omit<JobsInput, "prisma" | "logger">): JobDefinition[] {
  const schedule = (name: string, expression: string, run: (tick: Date) => Promise<unknown>, options: Partial<JobDefinition> = {}): JobDefinition => ({ name, cron: expression, run, ...options });
  const digestTargets = config.AUDIT_DIGEST_CHANNEL;
  const postDigest = slackDigestPoster(slackClient);

  const jobs = [
    // `logout` for sessions idle past SESSION_IDLE_MINUTES.
    schedule("close-idle-sessions", "*/5 * * * *", () => services.users.closeIdleSessions()),
    // Operations whose owner stopped renewing its lease (crash, lost replica): taken over, one replica each.
    schedule("resume-abandoned-operations", "* * * * *", () => services.vmActions.resumeAbandonedOperations()),
    // Environment runs whose owner stopped renewing its lease: taken over (atomically) and finished here.
    schedule("resume-abandoned-environment-runs", "* * * * *", () => services.environments.resumeAbandonedRuns({ detach: true })),
    // Retry-dedupe keys are only useful while Slack may still retry.
    schedule("prune-delivery-keys", "17 * * * *", () => services.deliveries.prune()),
    // Notifications whose DM failed (rate limited, Slack down), and any a replica left behind: delivered once.
    schedule("deliver-notifications", "* * * * *", () => services.notifications.deliverDue()),
    // Access requests nobody decided within ACCESS_REQUEST_TTL_DAYS lapse; approvers' DMs say so.
    schedule("expire-access-requests", "*/10 * * * *", () => services.access.expireRequests()),
    // Temporary access past its end: expired, audited, the holder told (the policy already ignores it).
    schedule("expire-access", "* * * * *", () => services.access.expireAccess()),
    // Holders of temporary access are warned once, 24 h before it ends, with a button to ask for more.
    schedule("warn-expiring-access", "*/10 * * * *", () => services.access.warnExpiringAccess()),
    // Locks past their end released (`lock_expired`), lapsed offers passed to the next in the queue.
    schedule("expire-locks", "* * * * *", () => services.locks.expireLocks()),
    // Holders of a lock for LOCK_WARNING_HOURS get one DM with Extend / Release.
    schedule("remind-lock-holders", "*/5 * * * *", () => services.locks.remindHolders()),
    // Every VM's state from its cloud (one call per provider and region batch): drift found, gone VMs `unknown`;
    // reverts made under DRIFT_POLICY=correct are followed to their end before the run counts as done.
    schedule("state-sync", config.STATE_SYNC_CRON ?? DEFAULT_STATE_SYNC_CRON, async () => {
      const found = await services.drift.syncAll();
      await Promise.all(found.operationIds.map((operationId) => services.vmActions.trackOperation(operationId)));
      return found.vms;
    }),
    // The job log keeps two weeks of runs.
    schedule("prune-job-log", "43 3 * * *", () => services.jobs.prune()),
    // The period since the last digest, per AUDIT_DIGEST_CHANNEL target; a tick missed while down runs on start.
    schedule("audit-digest", config.AUDIT_DIGEST_CRON, (tick) => services.digests.postDueDigests({ tick, targets: digestTargets, post: postDigest }), { timezone: config.AUDIT_DIGEST_TZ, catchUp: true }),
    // A digest whose post failed (Slack down, rate limited) is posted again without waiting for the next day.
    schedule("audit-digest-retry", "*/10 * * * *", () => services.digests.postPending(digestTargets, postDigest)),
  ];
  return digestTargets.length ? jobs : jobs.filter((job) => !job.name.startsWith("audit-digest"));
}

export function startJobs(input: JobsInput): Jobs {
  const log = input.logger.child({ component: "jobs" });
  const runner = createJobRunner({ prisma: input.prisma, jobs: scheduledJobs(input), logger: input.logger });
  // Runs in flight, so stop() lets them finish before the database closes.
  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  };
  const fire = (name: string) => () =>
    track(runner.fire(name).catch((error: unknown) => log.error({ err: error, job: name }, "could not run the job")));
  const tasks: ScheduledTask[] = runner.jobs.map((job) => cron.schedule(job.cron, fire(job.name), { name: job.name, timezone: job.timezone, noOverlap: true }));
  // A digest missed while the bot was down, runs left behind by a dead replica.
  track(runner.catchUp().catch((error: unknown) => log.error({ err: error }, "could not catch up on missed jobs")));
  return {
    runner,
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
      await Promise.all(inFlight);
      runner.close();
    },
  };
}
