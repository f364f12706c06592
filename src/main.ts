// `npm start`: with SLACK_BOT_TOKEN the bot serves a real Slack workspace (HTTP or Socket Mode);
// without it, the local playground: the same bot against a fake Slack you drive from a browser.
import { startBot } from "./bot.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createLogger } from "./logger.js";
import { chooseStartMode } from "./playground/playground-safety.js";
import { CloudsConfigError } from "./providers/clouds-config.js";
import { MissingAdapterError } from "./providers/registry.js";
import { startPlayground } from "./playground/start-playground.js";

// Past this a stop is stuck (a hung connection, a slow cloud call): exit rather than hang the terminal.
const STOP_TIMEOUT_MS = 15_000;

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);
const running = await startOrExit(config);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1); // a second Ctrl-C: the user wants out now
    stopping = true;
    logger.info({ signal }, "stopping");
    setTimeout(() => {
      logger.error("did not stop in time; exiting");
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "error while stopping");
        process.exit(1);
      },
    );
  });
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The message names each bad variable; a stack trace would only hide it.
    console.error(error.message);
    process.exit(1);
  }
}

async function startOrExit(config: Config): Promise<{ stop(): Promise<void> }> {
  const mode = chooseStartMode(config);
  if (mode.kind === "refused") {
    console.error(mode.message);
    process.exit(1);
  }
  try {
    return mode.kind === "slack" ? await startBot(config, { logger }) : await startPlayground(config, { logger });
  } catch (error) {
    if (error instanceof CloudsConfigError || error instanceof MissingAdapterError) {
      // The message names the file, line and column (or the missing adapter); a stack would only hide it.
      console.error(error.message);
      process.exit(1);
    }
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    console.error(`Port ${config.PORT} is already in use: stop what is using it, or set PORT to another port.`);
    process.exit(1);
  }
}
