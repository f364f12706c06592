// Boots the real bot (startBot: migrations, services, simulator clouds, Bolt's HTTP receiver) against
// the Slack Web API stand-in with Slack's own spec check, and a workspace simulator that sends
// correctly signed requests. One harness per test file; `reset()` between tests.
import { createServer } from "node:net";
import type { Dialect } from "../../src/db/database.js";
import { startBot, type RunningBot } from "../../src/bot.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { SlackWebApiStandIn, WorkspaceSimulator, loadSlackSpecValidator } from "../../src/playground/slack/index.js";
import { SLACK_API_SPEC_PATH } from "../playground/slack/spec-path.js";
import { createTestDatabaseUrl, emptyAllTables } from "./databases.js";

export const SIGNING_SECRET = "test-signing-secret-0123456789";
export const TEAM_ID = "T0PLAYGRND";
export const USERS = {
  admin: { id: "U0ADMIN001", name: "ada", email: "ada@example.com" },
  operator: { id: "U0OPERATOR", name: "otto", email: "otto@example.com" },
  viewer: { id: "U0VIEWER01", name: "vera", email: "vera@example.com" },
} as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface BotHarness {
  bot: RunningBot;
  standIn: SlackWebApiStandIn;
  workspace: WorkspaceSimulator;
  botUrl: string;
  /** Waits until the bot has no background work (progress tracking, restores) left. */
  idle(): Promise<void>;
  /** Empty database and Slack state, same bot: call between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** The bot's configuration in end-to-end tests: the USERS' roles, a fast simulated cloud. */
export function testBotConfig(databaseUrl: string, port: number, env: Record<string, string> = {}) {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    VM_ADMINS: USERS.admin.id,
    VM_OPERATORS: USERS.operator.id,
    SIM_LATENCY_MS: "60",
    SIM_JITTER_MS: "0",
    LOG_LEVEL: "silent",
    ...env,
  });
}

/** `database`: a migrated database of the caller's (e.g. a private PostgreSQL server) instead of a fresh test one. */
export async function startHarness(dialect: Dialect, env: Record<string, string> = {}, database?: { url: string; drop(): Promise<void> }): Promise<BotHarness> {
  database ??= await createTestDatabaseUrl(dialect);
  const standIn = await SlackWebApiStandIn.start({ validator: loadSlackSpecValidator(SLACK_API_SPEC_PATH), triggerTtlMs: 60_000 });
  const port = await freePort();
  const config = testBotConfig(database.url, port, env);
  const bot = await startBot(config, {
    slack: { botToken: standIn.botToken, signingSecret: SIGNING_SECRET, apiUrl: standIn.apiUrl },
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    pollIntervalMs: 20,
    progressIntervalMs: 0,
    jobs: false,
  });
  const botUrl = `http://127.0.0.1:${port}`;
  const workspace = new WorkspaceSimulator({ standIn, botUrl, signingSecret: SIGNING_SECRET });
  for (const user of Object.values(USERS)) workspace.addUser({ id: user.id, name: user.name, email: user.email, real_name: user.name });
  return {
    bot,
    standIn,
    workspace,
    botUrl,
    idle: () => bot.background.idle(),
    async reset() {
      await bot.background.idle();
      await emptyAllTables(bot.db);
      bot.services.users.forgetAllUsers(); // the users it resolved are gone with the tables
      standIn.reset();
      workspace.reset();
    },
    async stop() {
      await bot.stop();
      await standIn.close();
      await database!.drop();
    },
  };
}
