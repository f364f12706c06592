// Structured logs. Secrets are redacted by key wherever they appear, so a config dump,
// an HTTP header or a cloud SDK error never prints a token: pino's fixed-depth redact paths first,
// then a deep walk of every logged object and a scrub of every message (log-redaction.ts).
import { pino, type Logger } from "pino";
import { redactDeep, scrubString } from "./log-redaction.js";

export const REDACTED_KEYS = [
  "token",
  "botToken",
  "appToken",
  "signingSecret",
  "clientSecret",
  "secret",
  "password",
  "privateKey",
  "secretAccessKey",
  "sessionToken",
  "authorization",
  "SLACK_BOT_TOKEN",
  "SLACK_APP_TOKEN",
  "SLACK_SIGNING_SECRET",
  "DATABASE_URL",
];

const redactPaths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: redactPaths, censor: "[redacted]" },
    serializers: { err: redactDeep, error: redactDeep },
    formatters: {
      log: (object) => redactDeep(object) as Record<string, unknown>,
      bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
    },
    hooks: {
      // Message strings and format arguments (Bolt logs plain strings) are scrubbed of token-shaped text.
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === "string" ? scrubString(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  if (destination) return pino(options, destination);
  // A person at a terminal gets readable lines (pino-pretty, a dev dependency); everything else gets JSON.
  if (process.stdout.isTTY && prettyAvailable()) return pino({ ...options, transport: { target: "pino-pretty", options: { ignore: "pid,hostname" } } });
  return pino(options);
}

function prettyAvailable(): boolean {
  try {
    import.meta.resolve("pino-pretty");
    return true;
  } catch {
    return false;
  }
}

/** A database URL fit for a log line: the password is dropped. */
export function describeDatabaseUrl(url: string): string {
  if (url.startsWith("file:")) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgresql://<unparsable url>";
  }
}
