// The bot over Socket Mode, end to end, as the HTTP path is proven elsewhere: started with an app-level
// token, the real bot asks the stand-in's apps.connections.open for a WebSocket URL, connects to a
// fake Socket Mode endpoint, acknowledges each envelope (slash commands, events) and acts once per
// delivery however often Slack re-delivers it. /healthz stays on PORT, served by a side HTTP server.
import { createServer } from "node:net";
import { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/bot.js";
import { createLogger } from "../../src/logger.js";
import { loadSlackSpecValidator, SlackWebApiStandIn, type ApiCallRecord } from "../../src/playground/slack/index.js";
import { createSlackApp } from "../../src/slack/app.js";
import type { SlackDeps } from "../../src/slack/deps.js";
import { SLACK_API_SPEC_PATH } from "../playground/slack/spec-path.js";
import { freePort, testBotConfig, USERS } from "../support/bot-harness.js";
import { createTestDatabaseUrl, emptyAllTables } from "../support/databases.js";
import { describeEachDialect } from "../support/dialects.js";
import { addVms, blocksText, latestBotMessage } from "../support/slack-helpers.js";
import { eventCallbackPayload, slashCommandPayload, SocketModeServer } from "../support/socket-mode-server.js";

const APP_TOKEN = "xapp-1-A0PLAYAPP0-1-socket-mode-test";

describe("apps.connections.open in the Web API stand-in", () => {
  let standIn: SlackWebApiStandIn;
  const noop = () => undefined;
  const silent = { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => "error" as never, setName: noop };
  const client = (token: string) => new WebClient(token, { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 }, logger: silent });

  beforeAll(async () => {
    standIn = await SlackWebApiStandIn.start({ validator: loadSlackSpecValidator(SLACK_API_SPEC_PATH), appToken: APP_TOKEN });
  });
  afterAll(() => standIn.close());

  it("answers the app-level token with the configured WebSocket URL, and refuses every other token", async () => {
    await expect(client(APP_TOKEN).apps.connections.open()).rejects.toMatchObject({ data: { ok: false, error: "socket_mode_not_configured" } });
    standIn.socketModeUrl = "ws://127.0.0.1:9/link/?ticket=t-1&app_id=A0PLAYAPP0";
    await expect(client(APP_TOKEN).apps.connections.open()).resolves.toMatchObject({ ok: true, url: "ws://127.0.0.1:9/link/?ticket=t-1&app_id=A0PLAYAPP0" });
    await expect(client(standIn.botToken).apps.connections.open()).rejects.toMatchObject({ data: { error: "not_allowed_token_type" } });
    await expect(client("xapp-1-A0PLAYAPP0-1-revoked").apps.connections.open()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
    // ... and the app-level token is no bot token.
    await expect(client(APP_TOKEN).chat.postMessage({ channel: standIn.defaultChannel.id, text: "hi" })).rejects.toMatchObject({ data: { error: "not_allowed_token_type" } });
    expect(standIn.violations).toEqual([]); // the supplement describes apps.connections.open
  });
});

describe("Socket Mode start-up", () => {
  it("rejects with EADDRINUSE when PORT is taken, before connecting to Slack", async () => {
    const standIn = await SlackWebApiStandIn.start({ appToken: APP_TOKEN });
    const socket = await SocketModeServer.start({ appId: standIn.identity.appId });
    standIn.socketModeUrl = socket.url;
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const options = { botToken: standIn.botToken, appToken: APP_TOKEN, apiUrl: standIn.apiUrl, port, host: "127.0.0.1", isReady: () => true, logger: createLogger("silent") };
      // Listeners are only registered here, never run: no services needed.
      const slack = createSlackApp(options, {} as SlackDeps);
      await expect(slack.start()).rejects.toMatchObject({ code: "EADDRINUSE" });
      expect(standIn.callsTo("apps.connections.open")).toEqual([]);
      expect(socket.connectionCount).toBe(0);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      await socket.close();
      await standIn.close();
    }
  });
});

interface SocketModeBot {
  standIn: SlackWebApiStandIn;
  socket: SocketModeServer;
  bot: RunningBot;
  healthUrl: string;
  /** What happened while the bot started (the resets between tests forget calls and log lines). */
  connectCalls: ApiCallRecord[];
  readyLine: Record<string, unknown> | undefined;
  /** The bot's own log lines: how a test sees that a re-delivery was received and deliberately ignored. */
  logLines: Record<string, unknown>[];
  ignoredRetries(): unknown[];
  /** Set by a test that stops the bot itself. */
  stopped: boolean;
}

/**
 * describe() per dialect with its own bot over Socket Mode. A test that stops the bot gets a suite of
 * its own, so no other test depends on running before it.
 */
function describeSocketModeBot(name: string, body: (t: SocketModeBot) => void): void {
  describeEachDialect(name, (dialect) => {
    const t = { logLines: [] as Record<string, unknown>[], stopped: false } as SocketModeBot;
    t.ignoredRetries = () => t.logLines.filter((line) => line.msg === "ignored a retried Slack delivery already handled").map((line) => line.key);
    let dropDatabase: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const database = await createTestDatabaseUrl(dialect);
      dropDatabase = database.drop;
      t.standIn = await SlackWebApiStandIn.start({ validator: loadSlackSpecValidator(SLACK_API_SPEC_PATH), appToken: APP_TOKEN, triggerTtlMs: 60_000 });
      for (const user of Object.values(USERS)) t.standIn.addUser({ id: user.id, name: user.name, email: user.email, real_name: user.name });
      t.socket = await SocketModeServer.start({ appId: t.standIn.identity.appId });
      t.standIn.socketModeUrl = t.socket.url;
      const port = await freePort();
      const config = testBotConfig(database.url, port, { SIM_LATENCY_MS: "20" });
      t.bot = await startBot(config, {
        slack: { botToken: t.standIn.botToken, appToken: APP_TOKEN, apiUrl: t.standIn.apiUrl },
        logger: createLogger("info", { write: (line: string) => void t.logLines.push(JSON.parse(line) as Record<string, unknown>) }),
        pollIntervalMs: 20,
        progressIntervalMs: 0,
        jobs: false,
      });
      t.healthUrl = `http://127.0.0.1:${port}/healthz`;
      t.connectCalls = t.standIn.callsTo("apps.connections.open");
      t.readyLine = t.logLines.find((line) => line.msg === "bot ready");
    });

    afterEach(async () => {
      if (t.stopped) return;
      await t.bot.background.idle();
      expect(t.standIn.violations).toEqual([]);
      expect(t.socket.strayMessages).toEqual([]); // one ack per envelope, nothing else
      await emptyAllTables(t.bot.db);
      t.bot.services.users.forgetAllUsers(); // the users it resolved are gone with the tables
      t.standIn.reset();
      t.socket.reset();
      t.logLines.length = 0;
    });

    afterAll(async () => {
      if (!t.stopped) await t.bot?.stop();
      await t.socket?.close();
      await t.standIn?.close();
      await dropDatabase?.();
    });

    body(t);
  });
}

describeSocketModeBot("Socket Mode end to end", (t) => {
  it("connects with the app-level token and answers GET /healthz on PORT", async () => {
    const { socket, bot, healthUrl, connectCalls, readyLine } = t;
    // The stand-in answers apps.connections.open only to the app-level token (see above).
    expect(connectCalls).toMatchObject([{ method: "apps.connections.open", ok: true, args: {} }]);
    expect(socket.connectionCount).toBe(1);
    expect(socket.openConnections).toBe(1);
    expect(readyLine).toMatchObject({ mode: "socket", port: expect.any(Number) });
    // Listener clients keep @slack/web-api's default retry policy; the Socket Mode client's { retries: 100 } stays its own.
    expect(bot.slack.app.webClientOptions.retryConfig).toBeUndefined();

    const health = await fetch(healthUrl);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
  });

  it("starts a VM for /vm start over the socket, and acks a re-delivery without acting again", async () => {
    const { standIn, socket, bot, ignoredRetries } = t;
    const [vm] = await addVms(bot, 1, { status: "stopped" });
    const command = slashCommandPayload(standIn, USERS.operator.id, "/vm", "start vm-001");

    const ack = await socket.deliver("slash_commands", command);
    expect(ack.payload).toEqual({}); // a bare ack: Slack shows nothing for it
    // Slack re-delivers an envelope whose ack it missed; the retry arrives while the first is at work.
    const retryAck = await socket.deliver("slash_commands", command, { retryAttempt: 1, retryReason: "timeout" });
    expect(retryAck.payload).toEqual({});
    expect(retryAck.envelope_id).not.toBe(ack.envelope_id);
    expect(socket.deliveries.map(({ envelope }) => [envelope.type, envelope.accepts_response_payload, envelope.retry_attempt])).toEqual([
      ["slash_commands", true, undefined],
      ["slash_commands", true, 1],
    ]);

    const progress = await standIn.waitFor(() => {
      const message = latestBotMessage(standIn);
      return message && blocksText(message.blocks).includes("Started 1 VM") ? message : undefined;
    }, 10_000);
    // The bot saw the re-delivery and dropped it as already handled (its key is the trigger_id).
    await expect.poll(ignoredRetries).toContain(`trigger:${command.trigger_id}`);
    await bot.background.idle();

    expect((await bot.db.prisma.vm.findUniqueOrThrow({ where: { id: vm!.id } })).status).toBe("running");
    expect(await bot.db.prisma.operationExecution.count()).toBe(1);
    const audit = await bot.db.prisma.auditLog.findMany({ where: { action: "vm_start" }, include: { user: true }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => entry.outcome)).toEqual(["initiated", "succeeded"]); // one action: its intent, then its outcome
    for (const entry of audit) expect(entry).toMatchObject({ vmName: "vm-001", source: "slack_command", user: { slackUserId: USERS.operator.id } });
    // One progress message, posted once and then edited in place.
    expect(standIn.callsTo("chat.postMessage")).toHaveLength(1);
    expect(standIn.callsTo("chat.update").length).toBeGreaterThan(0);
    expect(standIn.conversation(progress.channel).filter((message) => message.bot_id)).toHaveLength(1);
  });

  it("publishes the App Home once for app_home_opened, however often the event is re-delivered", async () => {
    const { standIn, socket, bot, ignoredRetries } = t;
    const payload = eventCallbackPayload(standIn, { type: "app_home_opened", user: USERS.operator.id, channel: standIn.dmChannel(USERS.operator.id).id, tab: "home" });

    const ack = await socket.deliver("events_api", payload);
    expect(ack.payload).toEqual({});
    const home = await standIn.waitFor(() => standIn.homeView(USERS.operator.id));
    expect(blocksText(home.blocks)).toContain(`You are <@${USERS.operator.id}>, role *operator*.`);

    for (const retryAttempt of [1, 2]) await socket.deliver("events_api", payload, { retryAttempt, retryReason: "timeout" });
    await expect.poll(ignoredRetries).toEqual([`event:${payload.event_id}`, `event:${payload.event_id}`]);
    await bot.background.idle();

    expect(standIn.callsTo("views.publish")).toHaveLength(1);
    expect(socket.deliveries.map(({ envelope }) => [envelope.type, envelope.accepts_response_payload, envelope.retry_attempt, envelope.retry_reason])).toEqual([
      ["events_api", false, 0, ""],
      ["events_api", false, 1, "timeout"],
      ["events_api", false, 2, "timeout"],
    ]);
  });
});

describeSocketModeBot("Socket Mode shutdown", (t) => {
  it("closes the WebSocket normally when the bot stops, and takes /healthz down with it", async () => {
    const { socket, bot, healthUrl } = t;
    t.stopped = true;
    await bot.stop();
    await expect.poll(() => socket.openConnections).toBe(0);
    expect(socket.closeCodes).toEqual([1000]);
    await expect(fetch(healthUrl)).rejects.toThrow();
  });
});
