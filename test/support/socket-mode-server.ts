// A fake Slack Socket Mode endpoint: the WebSocket the stand-in's apps.connections.open points the bot
// at. It speaks the protocol @slack/socket-mode 3 (SocketModeClient.onWebSocketMessage) expects:
// a `hello` on connect (the client's start() resolves on it), then envelopes
// { envelope_id, payload, type, accepts_response_payload, retry_attempt?, retry_reason? }, each
// acknowledged by the app with { envelope_id, payload }. Bolt's SocketModeReceiver hands the payload to
// App.processEvent as the request body and retry_attempt/retry_reason as context.retryNum/retryReason.
// Client pings are answered with pongs (unanswered, the client drops the connection after ~7 s); the
// server sends no pings, since after a first one the client expects one every 30 s.
import { randomUUID } from "node:crypto";
import type { SlackWebApiStandIn } from "../../src/playground/slack/index.js";
import { isJsonObject, type JsonObject } from "../../src/playground/slack/json-types.js";
import { eventCallbackEnvelope } from "../../src/playground/slack/simulator/event-payloads.js";
import { slashCommandFields } from "../../src/playground/slack/simulator/interaction-payloads.js";
import { WebSocketServer, type WebSocketConnection } from "./websocket-server.js";

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

export interface EnvelopeOptions {
  /** A re-delivery, as Slack sends when the first went unacknowledged. */
  retryAttempt?: number;
  retryReason?: string;
  ackTimeoutMs?: number;
}

/** What the app sent back for one envelope; payload is {} for a bare ack(). */
export interface SocketModeAck {
  envelope_id: string;
  payload?: JsonObject;
}

export interface SocketModeDelivery {
  envelope: JsonObject;
  ack: SocketModeAck;
}

export interface SocketModeServerOptions {
  /** The app whose connections this endpoint serves (hello's connection_info.app_id). */
  appId: string;
  /** Slack waits 3 s for an ack; tests get a little slack. */
  ackTimeoutMs?: number;
}

const INTERACTIONS_WITH_RESPONSE_PAYLOAD = new Set(["view_submission", "block_suggestion"]);

interface PendingAck {
  resolve: (ack: SocketModeAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class SocketModeServer {
  /** Every envelope acknowledged, in order, with its ack. */
  readonly deliveries: SocketModeDelivery[] = [];
  /** Messages from the app that acknowledged no pending envelope (a second ack, or anything else). */
  readonly strayMessages: unknown[] = [];
  /** Connections opened so far; each was greeted with a hello. */
  connectionCount = 0;
  /** The close code of every connection that ended (undefined: cut without a closing handshake). */
  readonly closeCodes: (number | undefined)[] = [];

  private readonly pending = new Map<string, PendingAck>();

  private constructor(
    private readonly options: SocketModeServerOptions,
    private readonly server: WebSocketServer,
  ) {
    server.on("connection", (connection) => this.greet(connection));
  }

  static async start(options: SocketModeServerOptions): Promise<SocketModeServer> {
    return new SocketModeServer(options, await WebSocketServer.start());
  }

  /** What apps.connections.open answers, shaped like Slack's wss://wss-primary.slack.com/link/?ticket=...&app_id=... */
  get url(): string {
    return `ws://127.0.0.1:${this.server.port}/link/?ticket=${randomUUID()}&app_id=${this.options.appId}`;
  }

  get openConnections(): number {
    return this.server.connections.filter((connection) => connection.isOpen).length;
  }

  /** Sends one envelope to the app's newest open connection and resolves with its ack. */
  deliver(type: EnvelopeType, payload: JsonObject, options: EnvelopeOptions = {}): Promise<SocketModeAck> {
    const connection = this.server.connections.filter((candidate) => candidate.isOpen).at(-1);
    if (!connection) return Promise.reject(new Error(`Socket Mode: no open connection to deliver a ${type} envelope to`));
    const envelope = buildEnvelope(type, payload, options);
    const envelopeId = String(envelope.envelope_id);
    const timeoutMs = options.ackTimeoutMs ?? this.options.ackTimeoutMs ?? 5000;
    return new Promise<SocketModeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`Socket Mode: the app did not acknowledge ${type} envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelopeId, {
        timer,
        reject,
        resolve: (ack) => {
          this.deliveries.push({ envelope, ack });
          resolve(ack);
        },
      });
      connection.sendText(JSON.stringify(envelope));
    });
  }

  /** Forgets deliveries and stray messages (between tests); connections stay. */
  reset(): void {
    this.deliveries.length = 0;
    this.strayMessages.length = 0;
  }

  async close(): Promise<void> {
    for (const [envelopeId, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`Socket Mode: endpoint closed before envelope ${envelopeId} was acknowledged`));
    }
    this.pending.clear();
    await this.server.close();
  }

  private greet(connection: WebSocketConnection): void {
    connection.on("message", (text) => this.receive(text));
    connection.on("close", (code) => this.closeCodes.push(code));
    connection.sendText(
      JSON.stringify({
        type: "hello",
        num_connections: this.openConnections,
        debug_info: { host: "applink-stand-in", started: new Date().toISOString().replace("T", " ").slice(0, 23), build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.options.appId },
      }),
    );
    this.connectionCount += 1;
  }

  private receive(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.strayMessages.push(text);
      return;
    }
    const pending = isJsonObject(message) && typeof message.envelope_id === "string" ? this.pending.get(message.envelope_id) : undefined;
    if (!pending || !isJsonObject(message)) {
      this.strayMessages.push(message);
      return;
    }
    const envelopeId = String(message.envelope_id);
    this.pending.delete(envelopeId);
    clearTimeout(pending.timer);
    pending.resolve({ envelope_id: envelopeId, ...(isJsonObject(message.payload) ? { payload: message.payload } : {}) });
  }
}

function buildEnvelope(type: EnvelopeType, payload: JsonObject, options: EnvelopeOptions): JsonObject {
  // True where the ack's payload is the answer: slash commands, and view_submission / block_suggestion.
  const acceptsResponsePayload = type === "slash_commands" || (type === "interactive" && INTERACTIONS_WITH_RESPONSE_PAYLOAD.has(String(payload.type)));
  const envelope: JsonObject = { envelope_id: randomUUID(), payload, type, accepts_response_payload: acceptsResponsePayload };
  // Events API envelopes always carry the retry fields (0 and "" on a first delivery); others only on a retry.
  if (type === "events_api" || options.retryAttempt !== undefined) {
    envelope.retry_attempt = options.retryAttempt ?? 0;
    envelope.retry_reason = options.retryReason ?? "";
  }
  return envelope;
}

// ---- payloads, built by the workspace simulator's own builders ----

/**
 * A slash command as Slack sends it over Socket Mode: the same fields as the HTTP form post, as one
 * JSON object, with a trigger_id and response_url the stand-in issued (as WorkspaceSimulator.command does).
 */
export function slashCommandPayload(standIn: SlackWebApiStandIn, userId: string, command: string, text = "", channelId = standIn.defaultChannel.id): JsonObject {
  const user = standIn.user(userId);
  if (!user) throw new Error(`Unknown user ${userId}: register it with standIn.addUser first`);
  const channel = standIn.state.resolveChannel(channelId);
  const triggerId = standIn.state.triggers.issue(userId);
  const responseUrl = `${standIn.baseUrl}/response/${standIn.state.responseUrls.issue({ userId, channelId: channel.id })}`;
  return slashCommandFields({ identity: standIn.identity, user }, channel, command, text, { triggerId, responseUrl });
}

/** An Events API event in its event_callback envelope: the payload of an events_api envelope. */
export function eventCallbackPayload(standIn: SlackWebApiStandIn, event: JsonObject): JsonObject {
  return eventCallbackEnvelope(standIn.identity, standIn.state.ids, event);
}
