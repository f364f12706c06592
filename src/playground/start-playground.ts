// The local playground: the bot exactly as it runs for Slack, but talking to a fake Slack in this process
// (the Web API stand-in, and the workspace simulator that signs requests to /slack/events), with a page
// at http://localhost:PORT/ from which a person drives that fake Slack.
import { randomBytes } from "node:crypto";
import { startBot, type BotOptions, type RunningBot } from "../bot.js";
import type { Config } from "../config.js";
import { createLogger, type Logger } from "../logger.js";
import { DEMO_TEAM_ID } from "../seed/demo-users.js";
import { PLAYGROUND_CHANNEL, registerDemoPeople, type PlaygroundPerson } from "./demo-workspace.js";
import { PlaygroundEventStream, playgroundRoutes } from "./server/index.js";
import { SlackWebApiStandIn, WorkspaceSimulator } from "./slack/index.js";
import { DEFAULT_SPEC_PATH, logSpecViolations, optionalSpecValidator } from "./spec-check.js";

export interface PlaygroundOptions {
  logger?: Logger;
  /** Where Slack's OpenAPI description may be; skipped when the file is missing. */
  specPath?: string;
  /** Where the start-up banner goes (default: stdout). */
  print?: (line: string) => void;
  /** Passed through to startBot (tests speed up polling and progress updates). */
  bot?: Pick<BotOptions, "pollIntervalMs" | "progressIntervalMs" | "jobs">;
}

export interface Playground {
  url: string;
  bot: RunningBot;
  standIn: SlackWebApiStandIn;
  workspace: WorkspaceSimulator;
  people: readonly PlaygroundPerson[];
  stop(): Promise<void>;
}

export async function startPlayground(config: Config, options: PlaygroundOptions = {}): Promise<Playground> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const validator = optionalSpecValidator(options.specPath ?? DEFAULT_SPEC_PATH, logger);
  // The stand-in's team is the demo data's, so the seeded users' roles apply to the people on the page.
  const standIn = await SlackWebApiStandIn.start({ identity: { teamId: DEMO_TEAM_ID }, channels: [{ name: PLAYGROUND_CHANNEL }], ...(validator ? { validator } : {}) });
  const stopLoggingViolations = logSpecViolations(standIn, logger);
  const people = registerDemoPeople(standIn);
  const signingSecret = randomBytes(32).toString("hex");
  const workspace = new WorkspaceSimulator({ standIn, botUrl: `http://127.0.0.1:${config.PORT}`, signingSecret });
  const events = new PlaygroundEventStream(standIn);

  let bot: RunningBot;
  try {
    // The stand-in must be up first: Bolt calls auth.test while it builds the App.
    bot = await startBot(config, {
      ...options.bot,
      logger,
      seedDemo: true,
      // Nobody signs in to the playground: keep it on this machine unless HOST says otherwise.
      host: config.HOST ?? "127.0.0.1",
      slack: { botToken: standIn.botToken, signingSecret, apiUrl: standIn.apiUrl },
      routes: playgroundRoutes({ standIn, workspace, people, events, port: config.PORT }),
    });
  } catch (error) {
    events.close();
    await standIn.close();
    throw error;
  }

  const url = `http://localhost:${config.PORT}/`;
  (options.print ?? ((line: string) => process.stdout.write(`${line}\n`)))(`Playground: ${url}`);
  logger.info({ url, specChecked: validator !== undefined }, "playground ready");

  return {
    url,
    bot,
    standIn,
    workspace,
    people,
    async stop() {
      // Open event streams would keep the bot's HTTP server from closing.
      events.close();
      await bot.stop();
      stopLoggingViolations();
      await standIn.close();
    },
  };
}
