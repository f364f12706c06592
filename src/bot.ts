// The composition root: config -> logger -> database -> providers -> services -> Slack app -> jobs.
// main.ts calls it for a real run; end-to-end tests and the playground call it the same way.
import type { CustomRoute } from "@slack/bolt";
import type { Config } from "./config.js";
import { openDatabase, type Database } from "./db/database.js";
import { applyMigrations } from "./db/migrations.js";
import { startJobs, type Jobs } from "./jobs/index.js";
import { createLogger, describeDatabaseUrl, type Logger } from "./logger.js";
import { loadCloudsConfig } from "./providers/clouds-config.js";
import { createConfiguredRegistry, createSimulatedRegistry, withoutSimulators, type SimulatedRegistry } from "./providers/registry.js";
import { seedDemoData } from "./seed/seed-demo-data.js";
import { createServices, type Services } from "./services/index.js";
import { newProcessOwnerId } from "./services/operation-lease.js";
import { createSlackApp, type SlackApp } from "./slack/app.js";
import { slackNotificationSender } from "./slack/notification-sender.js";
import { BackgroundTasks } from "./slack/background.js";

export interface SlackConnection {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
}

export interface BotOptions {
  /** Where Slack is; defaults to the config's tokens. */
  slack?: SlackConnection;
  logger?: Logger;
  routes?: CustomRoute[];
  /** Interface to listen on; defaults to the config's HOST (all interfaces when unset). */
  host?: string;
  /** Load the demo data into an empty database (SEED_DEMO=1, and always in the playground). */
  seedDemo?: boolean;
  /** Faster polling for tests; defaults suit real clouds. */
  pollIntervalMs?: number;
  progressIntervalMs?: number;
  jobs?: boolean;
}

export interface RunningBot {
  config: Config;
  db: Database;
  services: Services;
  providers: SimulatedRegistry;
  background: BackgroundTasks;
  slack: SlackApp;
  logger: Logger;
  stop(): Promise<void>;
}

export async function startBot(config: Config, options: BotOptions = {}): Promise<RunningBot> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  let ready = false;
  // A bad clouds.yml stops start-up before anything else happens.
  const clouds = config.CLOUDS_CONFIG ? await loadCloudsConfig(config.CLOUDS_CONFIG) : undefined;

  const applied = await applyMigrations(config.DATABASE_URL);
  logger.info({ database: describeDatabaseUrl(config.DATABASE_URL), applied }, "database ready");
  const db = await openDatabase(config.DATABASE_URL);

  // Real clouds when CLOUDS_CONFIG names a clouds.yml; otherwise demo mode, every kind simulated.
  const providers = clouds
    ? withoutSimulators(await createConfiguredRegistry({ clouds }))
    : createSimulatedRegistry({
        prisma: db.prisma,
        latencyMs: config.SIM_LATENCY_MS,
        jitterMs: config.SIM_JITTER_MS,
        failureRate: config.SIM_FAILURE_RATE,
        throttleRate: config.SIM_THROTTLE_RATE,
      });
  logger.info({ clouds: providers.kinds(), mode: clouds ? config.CLOUDS_CONFIG : "demo (simulated clouds)" }, "providers ready");
  const services = createServices(db, providers, {
    admins: config.VM_ADMINS,
    operators: config.VM_OPERATORS,
    defaultRole: config.VM_DEFAULT_ROLE,
    sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
    userCacheMs: config.USER_CACHE_SECONDS * 1000,
    pollIntervalMs: options.pollIntervalMs,
    // Who this process is when it owns running work: one id for its whole life.
    ownerId: newProcessOwnerId(),
    leaseMs: config.OPERATION_LEASE_SECONDS * 1000,
    auditExportMaxRows: config.AUDIT_EXPORT_MAX_ROWS,
    driftPolicy: config.DRIFT_POLICY,
    environments: { concurrency: config.ENV_CONCURRENCY, defaultSettleSeconds: config.ENV_SETTLE_SECONDS, readinessTimeoutSeconds: config.ENV_READINESS_TIMEOUT_SECONDS },
    access: { requestTtlDays: config.ACCESS_REQUEST_TTL_DAYS },
    locks: { warningHours: config.LOCK_WARNING_HOURS, offerMinutes: config.LOCK_OFFER_MINUTES },
  });
  await services.users.applyBootstrapRoles();
  if ((options.seedDemo ?? config.SEED_DEMO) && (await db.prisma.vm.count()) === 0) {
    const counts = await seedDemoData(db.prisma);
    logger.info({ counts }, "loaded the demo data into the empty database");
  }

  const slackConnection = options.slack ?? slackFromConfig(config);
  const background = new BackgroundTasks(logger);
  const slack = createSlackApp(
    { ...slackConnection, maxActiveInteractions: config.MAX_ACTIVE_INTERACTIONS, port: config.PORT, host: options.host ?? config.HOST, isReady: () => ready, routes: options.routes, logger },
    { services, logger, background, progressIntervalMs: options.progressIntervalMs ?? 1500 },
  );
  await slack.start();
  // Notifications go out as DMs from now on (new ones at once, failed ones retried by the job below).
  services.notifications.startDelivery(slackNotificationSender(slackConnection));
  const jobs: Jobs | undefined = options.jobs === false ? undefined : startJobs({ services, prisma: db.prisma, logger, config, slackClient: slack.app.client });
  ready = true;
  logger.info({ port: config.PORT, mode: slackConnection.appToken ? "socket" : "http" }, "bot ready");

  return {
    config,
    db,
    services,
    providers,
    background,
    slack,
    logger,
    async stop() {
      ready = false;
      await jobs?.stop();
      await services.notifications.stopDelivery();
      await slack.stop();
      await background.idle();
      await db.close();
    },
  };
}

function slackFromConfig(config: Config): SlackConnection {
  if (!config.SLACK_BOT_TOKEN) throw new Error("SLACK_BOT_TOKEN is not set");
  return {
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
  };
}
