// Starts the playground the way `npm start` does without Slack tokens (startPlayground with a config
// loaded from an environment that has none), on a free port with a fresh SQLite file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startPlayground, type Playground } from "../../src/playground/start-playground.js";
import { freePort } from "../support/bot-harness.js";

export interface TestPlayground extends Playground {
  /** http://127.0.0.1:PORT (no trailing slash) */
  base: string;
  /** Stops the playground and deletes its database. */
  dispose(): Promise<void>;
}

export async function startTestPlayground(env: Record<string, string> = {}): Promise<TestPlayground> {
  const dir = mkdtempSync(join(tmpdir(), "vmbot-playground-"));
  const port = await freePort();
  const config = loadConfig({
    DATABASE_URL: `file:${join(dir, "playground.db")}`,
    PORT: String(port),
    SIM_LATENCY_MS: "300",
    SIM_JITTER_MS: "0",
    LOG_LEVEL: "silent",
    ...env,
  });
  const playground = await startPlayground(config, {
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    print: () => undefined,
    // Quick progress updates keep the test short; nightly jobs have no place in it.
    bot: { pollIntervalMs: 50, progressIntervalMs: 200, jobs: false },
  });
  return {
    ...playground,
    base: `http://127.0.0.1:${port}`,
    async dispose() {
      await playground.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
