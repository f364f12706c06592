// Whether `npm start` may run the playground. The playground has no sign-in (anyone who reaches it acts
// as anyone), so a missing SLACK_BOT_TOKEN must not quietly turn a deployment into one: without a token
// it starts only where that is safe, or when PLAYGROUND=1 asks for it.
import type { Config } from "../config.js";

export type StartMode = { kind: "slack" } | { kind: "playground" } | { kind: "refused"; message: string };

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "[::1]", "localhost"]);

function isLoopbackHost(host: string | undefined): boolean {
  return host === undefined || LOOPBACK_HOSTS.has(host.toLowerCase());
}

export function chooseStartMode(config: Pick<Config, "SLACK_BOT_TOKEN" | "HOST" | "NODE_ENV" | "DATABASE_URL" | "PLAYGROUND">): StartMode {
  if (config.SLACK_BOT_TOKEN) return { kind: "slack" };
  if (config.PLAYGROUND) return { kind: "playground" };
  const unsafe = [
    ...(isLoopbackHost(config.HOST) ? [] : [`HOST=${config.HOST} is not a loopback interface (127.0.0.1, ::1 or localhost)`]),
    ...(config.NODE_ENV === "production" ? ["NODE_ENV is production"] : []),
    // The URL itself may hold a password: name the kind of database only.
    ...(/^postgres(ql)?:\/\//.test(config.DATABASE_URL) ? ["DATABASE_URL is a PostgreSQL database"] : []),
  ];
  if (unsafe.length === 0) return { kind: "playground" };
  return {
    kind: "refused",
    message:
      `SLACK_BOT_TOKEN is not set and ${joinReasons(unsafe)}, so the bot will not start the local playground ` +
      "(it has no sign-in: anyone who reaches it can act as any user). " +
      "Set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET) to connect to Slack, or PLAYGROUND=1 to run the local playground anyway.",
  };
}

function joinReasons(reasons: string[]): string {
  return reasons.length === 1 ? reasons[0]! : `${reasons.slice(0, -1).join(", ")} and ${reasons.at(-1)}`;
}
