import { expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

it("applies the embedded defaults", () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    DATABASE_URL: "file:./data/vm-lifecycle.db",
    PORT: 3000,
    VM_DEFAULT_ROLE: "viewer",
    SESSION_IDLE_MINUTES: 480,
    USER_CACHE_SECONDS: 5,
    OPERATION_LEASE_SECONDS: 60,
    SEED_DEMO: false,
    VM_ADMINS: [],
  });
});

it("parses lists, flags and numbers", () => {
  const config = loadConfig({ VM_ADMINS: "U012ABC, U034DEF", VM_OPERATORS: "", SEED_DEMO: "1", PORT: "8080", SIM_FAILURE_RATE: "0.25", DATABASE_URL: "postgresql://bot@db:5432/vm" });
  expect(config.VM_ADMINS).toEqual(["U012ABC", "U034DEF"]);
  expect(config.SEED_DEMO).toBe(true);
  expect(config.PORT).toBe(8080);
  expect(config.SIM_FAILURE_RATE).toBe(0.25);
});

it("names each bad variable and its value", () => {
  expect(problems({ PORT: "eighty" })).toEqual(['PORT must be a whole number from 1 to 65535 (got "eighty")']);
  expect(problems({ VM_DEFAULT_ROLE: "superuser" })[0]).toMatch(/^VM_DEFAULT_ROLE/);
  expect(problems({ VM_ADMINS: "alice" })[0]).toMatch(/^VM_ADMINS must be comma-separated Slack user ids/);
  expect(problems({ DATABASE_URL: "mysql://x" })[0]).toMatch(/^DATABASE_URL must be file:<path> \(SQLite\) or postgresql/);
  expect(problems({ SIM_FAILURE_RATE: "2" })).toEqual(['SIM_FAILURE_RATE must be a number from 0 to 1 (got "2")']);
  expect(problems({ PORT: "0", SESSION_IDLE_MINUTES: "-5" })).toHaveLength(2);
});

it("never echoes secrets in its messages", () => {
  const messages = problems({ SLACK_BOT_TOKEN: "xoxp-user-token-secret" });
  expect(messages[0]).toMatch(/^SLACK_BOT_TOKEN must be a bot token/);
  expect(messages.join()).not.toContain("xoxp-user-token-secret");
});

it("requires a signing secret for HTTP mode and a bot token for Socket Mode", () => {
  expect(problems({ SLACK_BOT_TOKEN: "xoxb-1" })[0]).toMatch(/^SLACK_SIGNING_SECRET is required/);
  expect(problems({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" })).toEqual([]);
  expect(problems({ SLACK_APP_TOKEN: "xapp-1" })[0]).toMatch(/^SLACK_BOT_TOKEN is required/);
});
