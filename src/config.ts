// Every environment variable the bot reads, parsed by one schema. A bad value stops start-up with a
// message naming the variable, never a stack trace from deep inside.
import cron from "node-cron";
import { z } from "zod";
import { parseDigestTargets } from "./services/digests/digest-targets.js";

const slackUserIdList = z
  .string()
  .default("")
  .transform((raw) => raw.split(",").map((id) => id.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, "must be comma-separated Slack user ids such as U012ABCDEF")));

const flag = z
  .enum(["0", "1", "true", "false", "yes", "no", ""])
  .default("")
  .transform((value) => ["1", "true", "yes"].includes(value));

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const int = (min: number, max: number, fallback: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
};
const fiveFieldCron = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => value.trim())
    .refine((value) => value.split(/\s+/).length === 5 && cron.validate(value), "must be a five-field cron expression (minute hour day month weekday), e.g. 0 9 * * *");

const timeZone = z
  .string()
  .default("UTC")
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as UTC or Europe/Paris");

const digestTargets = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    try {
      return parseDigestTargets(raw);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `must be channel ids, each optionally CHANNEL:env=NAME, comma-separated (${(error as Error).message})` });
      return z.NEVER;
    }
  });

const rateMessage = "must be a number from 0 to 1";
const rate = z.coerce.number({ error: rateMessage }).min(0, rateMessage).max(1, rateMessage).default(0);

export const configSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .default("file:./data/vm-lifecycle.db")
      .refine((url) => url.startsWith("file:") || /^postgres(ql)?:\/\//.test(url), "must be file:<path> (SQLite) or postgresql://..."),
    PORT: int(1, 65535, 3000),
    /** Interface to listen on: all of them when unset (Slack must reach the bot); the playground defaults to 127.0.0.1. */
    HOST: optionalString,
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SLACK_BOT_TOKEN: optionalString.pipe(z.string().startsWith("xoxb-", "must be a bot token (xoxb-...)").optional()),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.pipe(z.string().startsWith("xapp-", "must be an app-level token (xapp-...)").optional()),
    SLACK_API_URL: optionalString.pipe(z.url().optional()),
    VM_ADMINS: slackUserIdList,
    VM_OPERATORS: slackUserIdList,
    VM_DEFAULT_ROLE: z.enum(["viewer", "operator", "admin"]).default("viewer"),
    SESSION_IDLE_MINUTES: int(1, 60 * 24 * 30, 480),
    /** How long a resolved user is reused before it is read again; changes made through this process apply at once. */
    USER_CACHE_SECONDS: int(0, 300, 5),
    /** Slack requests worked on at once (ack included); more wait their turn, at most 1.5 s (src/slack/admission.ts). */
    MAX_ACTIVE_INTERACTIONS: int(1, 10_000, 16),
    OPERATION_LEASE_SECONDS: int(5, 3600, 60),
    AUDIT_EXPORT_MAX_ROWS: int(1, 100_000_000, 1_000_000),
    SEED_DEMO: flag,
    /** clouds.yml with the real accounts/projects to manage; demo mode (simulated clouds) when unset. */
    CLOUDS_CONFIG: optionalString,
    SIM_LATENCY_MS: int(0, 600_000, 3000),
    SIM_JITTER_MS: int(0, 600_000, 1000),
    SIM_FAILURE_RATE: rate,
    SIM_THROTTLE_RATE: rate,
    /** `1`: run the local playground even where it would not be safe by default (see playground-safety.ts). */
    PLAYGROUND: flag,
    /** Channels that receive the audit digest: `C0123ABCD` (everything) or `C0123ABCD:env=prod` (one environment), comma-separated. */
    AUDIT_DIGEST_CHANNEL: digestTargets,
    AUDIT_DIGEST_CRON: fiveFieldCron("0 9 * * *"),
    AUDIT_DIGEST_TZ: timeZone,
    /** How often the state sync reads every VM's state from its cloud and looks for drift. */
    STATE_SYNC_CRON: fiveFieldCron("*/5 * * * *"),
    /** What the sync does about a VM changed outside the bot: `notify` its admins, or `correct` (revert it, then tell them). */
    DRIFT_POLICY: z.enum(["notify", "correct"]).default("notify"),
    /** Only `production` matters: the unauthenticated playground never starts by default there. */
    NODE_ENV: optionalString,
    /** Environment runs: VMs started or stopped at once; settle delay for groups without their own; readiness check timeout. */
    ENV_CONCURRENCY: int(1, 100, 5),
    ENV_SETTLE_SECONDS: int(0, 3600, 0),
    ENV_READINESS_TIMEOUT_SECONDS: int(1, 3600, 120),
    /** Days an access request waits for a decision before it lapses. */
    ACCESS_REQUEST_TTL_DAYS: int(1, 365, 7),
    /** Environment locks: the holder is reminded (Extend / Release) after this many hours held; a freed lock is offered to the next in the queue for this many minutes. */
    LOCK_WARNING_HOURS: int(1, 24 * 30, 4),
    LOCK_OFFER_MINUTES: int(1, 24 * 60, 15),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({ code: "custom", path: ["SLACK_SIGNING_SECRET"], message: "is required with SLACK_BOT_TOKEN over HTTP (or set SLACK_APP_TOKEN for Socket Mode)" });
    }
    if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["SLACK_BOT_TOKEN"], message: "is required with SLACK_APP_TOKEN" });
    }
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? "environment");
    const value = env[variable];
    const shown = value === undefined || /TOKEN|SECRET/.test(variable) ? "" : ` (got "${value}")`;
    return `${variable} ${issue.message}${shown}`;
  });
  throw new ConfigError(problems);
}
