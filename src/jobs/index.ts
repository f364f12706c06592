// Scheduled housekeeping (node-cron). Each job is idempotent and safe to run on every replica.
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.js";
import type { Services } from "../services/index.js";

export interface Jobs {
  stop(): Promise<void>;
}

export function startJobs(services: Services, logger: Logger): Jobs {
  const log = logger.child({ component: "jobs" });
  const schedule = (name: string, expression: string, run: () => Promise<unknown>): ScheduledTask =>
    cron.schedule(
      expression,
      async () => {
        try {
          const result = await run();
          log.debug({ job: name, result }, "job done");
        } catch (error) {
          log.error({ err: error, job: name }, "job failed");
        }
      },
      { name, noOverlap: true },
    );

  const tasks = [
    // `logout` for sessions idle past SESSION_IDLE_MINUTES.
    schedule("close-idle-sessions", "*/5 * * * *", () => services.users.closeIdleSessions()),
    // Operations whose owner stopped renewing its lease (crash, lost replica): taken over, one replica each.
    schedule("resume-abandoned-operations", "* * * * *", () => services.vmActions.resumeAbandonedOperations()),
    // Environment runs whose owner stopped renewing its lease: taken over (atomically) and finished here.
    schedule("resume-abandoned-environment-runs", "* * * * *", () => services.environments.resumeAbandonedRuns({ detach: true })),
    // Retry-dedupe keys are only useful while Slack may still retry.
    schedule("prune-delivery-keys", "17 * * * *", () => services.deliveries.prune()),
  ];
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
    },
  };
}
