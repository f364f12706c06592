// Builds the Bolt app: HTTP (POST /slack/events, with /healthz and any extra routes) or Socket Mode.
import { createServer, type Server } from "node:http";
import { App, HTTPReceiver, type CustomRoute } from "@slack/bolt";
import type { Logger } from "../logger.js";
import { AdmissionGate, admissionMiddleware } from "./admission.js";
import { boltLogger } from "./bolt-logger.js";
import type { SlackDeps } from "./deps.js";
import { registerListeners } from "./listeners/index.js";

export interface SlackAppOptions {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** Web API base URL; Slack's own unless set (tests and the playground point it at the stand-in). */
  apiUrl?: string;
  port: number;
  /** Interface to listen on; all interfaces when unset. */
  host?: string;
  /** Answers GET /healthz with 200 once true. */
  isReady: () => boolean;
  routes?: CustomRoute[];
  logger: Logger;
  /** Requests worked on at once (MAX_ACTIVE_INTERACTIONS); unbounded when unset. */
  maxActiveInteractions?: number;
}

export interface SlackApp {
  app: App;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackApp(options: SlackAppOptions, deps: SlackDeps): SlackApp {
  const healthRoute: CustomRoute = {
    path: "/healthz",
    method: ["GET"],
    handler: (_request, response) => {
      const ready = options.isReady();
      response.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: ready }));
    },
  };
  const routes = [healthRoute, ...(options.routes ?? [])];
  const common = {
    token: options.botToken,
    logger: boltLogger(options.logger),
    // Bolt's conversation store (state per channel for listeners that ask for it) is unused here: off.
    convoStore: false as const,
    clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl.endsWith("/") ? options.apiUrl : `${options.apiUrl}/` } : undefined,
  };

  const app = options.appToken
    ? new App({
        ...common,
        appToken: options.appToken,
        socketMode: true,
        // The Socket Mode client gets its own copy: it sets retryConfig { retries: 100 } on the options it is
        // given, and on the App's own they would reach every listener's client (an effectively endless retry).
        installerOptions: { clientOptions: { ...common.clientOptions } },
      })
    : new App({
        ...common,
        receiver: new HTTPReceiver({
          signingSecret: options.signingSecret!,
          endpoints: "/slack/events",
          customRoutes: routes,
          processBeforeResponse: false,
          logger: common.logger,
        }),
      });
  if (options.maxActiveInteractions) app.use(admissionMiddleware(new AdmissionGate(options.maxActiveInteractions)));
  registerListeners(app, deps);
  app.error(async (error) => {
    options.logger.error({ err: error }, "unhandled error in a Slack listener");
  });

  // Socket Mode has no HTTP server of its own; health (and any routes) get a small one.
  let sideServer: Server | undefined;
  return {
    app,
    async start() {
      if (options.appToken) {
        const server = createServer((request, response) => {
          const route = routes.find((candidate) => request.url?.split("?")[0] === candidate.path);
          if (route) return void route.handler(request as never, response);
          response.writeHead(404).end();
        });
        // Listen before connecting: a taken PORT rejects start() (EADDRINUSE, as over HTTP) before the app is live.
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen(options.port, options.host, resolve);
        });
        sideServer = server;
        await app.start();
      } else {
        await app.start(options.host ? { port: options.port, host: options.host } : options.port);
      }
    },
    async stop() {
      await app.stop();
      await new Promise<void>((resolve) => (sideServer ? sideServer.close(() => resolve()) : resolve()));
    },
  };
}
