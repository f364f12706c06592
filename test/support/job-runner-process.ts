// One "bot process" for the two-process test: builds the real services and the real job list (plus a
// probe job whose every run leaves an audit row) against DATABASE_URL, prints "ready", waits for "go" on
// stdin, then fires every job at every tick in TICKS at once and prints what each fire did as JSON.
import { createInterface } from "node:readline";
import { WebClient } from "@slack/web-api";
import { openDatabase } from "../../src/db/database.js";
import { scheduledJobs } from "../../src/jobs/index.js";
import { createJobRunner, type JobDefinition } from "../../src/jobs/job-runner.js";
import { createLogger } from "../../src/logger.js";
import { createSimulatedRegistry } from "../../src/providers/registry.js";
import { parseDigestTargets } from "../../src/services/digests/digest-targets.js";
import { createServices } from "../../src/services/index.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const ownerId = env("OWNER_ID");
const ticks = env("TICKS").split(",").map((tick) => new Date(tick));
const db = await openDatabase(env("DATABASE_URL"));
const providers = createSimulatedRegistry({ prisma: db.prisma, latencyMs: 0, jitterMs: 0, failureRate: 0, throttleRate: 0 });
const services = createServices(db, providers, { admins: [], operators: [], defaultRole: "viewer", sessionIdleMinutes: 480 });
const slackClient = new WebClient(env("SLACK_BOT_TOKEN"), { slackApiUrl: `${env("SLACK_API_URL").replace(/\/$/, "")}/`, retryConfig: { retries: 0 } });
const config = { AUDIT_DIGEST_CHANNEL: parseDigestTargets(env("AUDIT_DIGEST_CHANNEL")), AUDIT_DIGEST_CRON: "0 9 * * *", AUDIT_DIGEST_TZ: "UTC" };

const probe: JobDefinition = {
  name: "probe",
  cron: "* * * * *",
  run: async (tick) => {
    await services.audit.record({ actor: null, source: "schedule", action: "view", outcome: "succeeded", details: { probe: tick.toISOString(), ownerId } });
    return 1;
  },
};
const jobs = [...scheduledJobs({ services, config, slackClient }), probe];
const runner = createJobRunner({ prisma: db.prisma, jobs, logger: createLogger("silent"), ownerId });

console.log("ready");
const input = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => input.once("line", () => resolve()));
input.close();

const fires = jobs.flatMap((job) => ticks.map(async (tick) => ({ job: job.name, tick: tick.toISOString(), outcome: await runner.runTick(job.name, tick) })));
const outcomes = await Promise.all(fires);
runner.close();
await db.close();
console.log(JSON.stringify(outcomes));
