// The rule that keeps the playground (no sign-in: act as anyone) from starting where a missing
// SLACK_BOT_TOKEN would expose it: the rule itself on configurations loaded as main.ts loads them, and the
// real `src/main.ts` refusing to start, with the message, and without listening.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { chooseStartMode } from "../../src/playground/playground-safety.js";
import { freePort } from "../support/bot-harness.js";

const TOKEN = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: "secret" };
const POSTGRES = "postgresql://bot:hunter2@db.internal:5432/vms";

const modeFor = (env: Record<string, string>) => chooseStartMode(loadConfig(env));
const refusalFor = (env: Record<string, string>) => {
  const mode = modeFor(env);
  if (mode.kind !== "refused") throw new Error(`expected a refusal, got ${mode.kind}`);
  return mode.message;
};

describe("whether start-up may run the playground", () => {
  it("connects to Slack whenever SLACK_BOT_TOKEN is set, wherever it runs", () => {
    expect(modeFor(TOKEN)).toEqual({ kind: "slack" });
    expect(modeFor({ ...TOKEN, HOST: "0.0.0.0", NODE_ENV: "production", DATABASE_URL: POSTGRES })).toEqual({ kind: "slack" });
  });

  it("runs the playground without a token on a loopback interface, outside production, on SQLite", () => {
    expect(modeFor({})).toEqual({ kind: "playground" });
    for (const HOST of ["127.0.0.1", "::1", "localhost", "LOCALHOST"]) expect(modeFor({ HOST, NODE_ENV: "development" })).toEqual({ kind: "playground" });
    expect(modeFor({ NODE_ENV: "test", DATABASE_URL: "file:/tmp/x.db" })).toEqual({ kind: "playground" });
  });

  it("refuses a non-loopback HOST, naming the variable and the way out", () => {
    const message = refusalFor({ HOST: "0.0.0.0" });
    expect(message).toMatch(/^SLACK_BOT_TOKEN is not set and HOST=0\.0\.0\.0 is not a loopback interface/);
    expect(message).toContain("Set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET) to connect to Slack, or PLAYGROUND=1 to run the local playground anyway");
    expect(refusalFor({ HOST: "192.168.1.20" })).toContain("HOST=192.168.1.20 is not a loopback interface");
  });

  it("refuses NODE_ENV=production", () => {
    expect(refusalFor({ NODE_ENV: "production" })).toMatch(/^SLACK_BOT_TOKEN is not set and NODE_ENV is production, so/);
  });

  it("refuses a PostgreSQL database without showing its URL (it may hold a password)", () => {
    for (const DATABASE_URL of [POSTGRES, "postgres://127.0.0.1/vms"]) {
      const message = refusalFor({ DATABASE_URL });
      expect(message).toMatch(/^SLACK_BOT_TOKEN is not set and DATABASE_URL is a PostgreSQL database, so/);
      expect(message).not.toContain("hunter2");
    }
  });

  it("names every unsafe variable at once", () => {
    expect(refusalFor({ HOST: "0.0.0.0", NODE_ENV: "production", DATABASE_URL: POSTGRES })).toContain(
      "HOST=0.0.0.0 is not a loopback interface (127.0.0.1, ::1 or localhost), NODE_ENV is production and DATABASE_URL is a PostgreSQL database",
    );
  });

  it("runs the playground anyway when PLAYGROUND=1 says so", () => {
    for (const PLAYGROUND of ["1", "true", "yes"]) expect(modeFor({ PLAYGROUND, HOST: "0.0.0.0", NODE_ENV: "production", DATABASE_URL: POSTGRES })).toEqual({ kind: "playground" });
    expect(modeFor({ PLAYGROUND: "0", HOST: "0.0.0.0" }).kind).toBe("refused");
  });

  it("reads PLAYGROUND as a flag and refuses anything else, naming it", () => {
    expect(loadConfig({}).PLAYGROUND).toBe(false);
    expect(() => loadConfig({ PLAYGROUND: "maybe" })).toThrow(ConfigError);
    expect(() => loadConfig({ PLAYGROUND: "maybe" })).toThrow(/PLAYGROUND .*\(got "maybe"\)/);
    expect(loadConfig({ NODE_ENV: " production " }).NODE_ENV).toBe("production");
  });
});

describe("src/main.ts without SLACK_BOT_TOKEN on all interfaces", () => {
  it("exits with code 1 and the message, and never listens", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, HOST: "0.0.0.0", PORT: String(port), DATABASE_URL: `file:${join(inject("testWorkDir"), `refused-${process.pid}.db`)}`, LOG_LEVEL: "silent" };
    for (const name of ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "PLAYGROUND", "NODE_ENV"]) delete env[name];
    const result = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/main.ts"], { env, timeout: 50_000 }).then(
      (done) => ({ code: 0, ...done }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("SLACK_BOT_TOKEN is not set and HOST=0.0.0.0 is not a loopback interface");
    expect(result.stderr).toContain("or PLAYGROUND=1 to run the local playground anyway");
    expect(result.stdout).not.toContain("Playground:");
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
