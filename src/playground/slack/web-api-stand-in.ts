// A local stand-in for Slack's Web API (http://127.0.0.1:PORT/api/<method>) with real state, plus the
// URLs Slack hands out around it: response_urls (/response/<id>), file upload URLs (/upload/v1/<id>)
// and file downloads (/files/<id>/<name>). Point Bolt at it with clientOptions: { slackApiUrl: standIn.apiUrl }.
// For Socket Mode, apps.connections.open hands out socketModeUrl (a WebSocket endpoint the caller runs).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerApiCall, type SpecViolation } from "./api/answer-api-call.js";
import { readRawBody, sendJson } from "./api/http-io.js";
import { parseApiRequest } from "./api/parse-api-request.js";
import { handleFileDownload, handleResponseUrl, handleUpload } from "./api/platform-routes.js";
import { SlackApiError } from "./api/slack-api-error.js";
import type { JsonObject } from "./json-types.js";
import { IMPLEMENTED_METHODS } from "./methods/index.js";
import { SlackIdFactory } from "./slack-ids.js";
import type { SlackSpecValidator } from "./spec/spec-validator.js";
import type { StoredEphemeral, StoredMessage } from "./state/conversation-store.js";
import type { StoredFile } from "./state/file-store.js";
import type { StandInChange, StandInChangeListener } from "./state/state-change.js";
import type { ChannelRecord, SlackUserInput, SlackUserRecord } from "./state/user-directory.js";
import type { SlackView } from "./state/view-registry.js";
import { DEFAULT_WORKSPACE_IDENTITY, type WorkspaceIdentity } from "./state/workspace-identity.js";
import { WorkspaceState } from "./state/workspace-state.js";

export interface WebApiStandInOptions {
  /** Default 0: a free port. The server always listens on 127.0.0.1. */
  port?: number;
  /** Checks every call against Slack's OpenAPI description; see loadSlackSpecValidator. */
  validator?: SlackSpecValidator;
  /** The bot token the app must present (Authorization: Bearer or a token param). */
  botToken?: string;
  /** The app-level token (xapp-...) Socket Mode presents to apps.connections.open. */
  appToken?: string;
  /** What apps.connections.open answers; settable later through standIn.socketModeUrl. */
  socketModeUrl?: string;
  identity?: Partial<WorkspaceIdentity>;
  /** How long a trigger_id can open a view. Slack: 3 s. */
  triggerTtlMs?: number;
  /** Slack: 30 minutes and 5 uses per response_url. */
  responseUrlTtlMs?: number;
  responseUrlMaxUses?: number;
  /** Clock for ts, trigger and response_url expiry; tests can move it. */
  now?: () => number;
  /** Channels created at start (and kept across reset()). Default: #general. */
  channels?: { id?: string; name: string; is_private?: boolean }[];
}

export interface ApiCallRecord {
  method: string;
  /** Arguments as the app sent them, JSON-encoded ones (blocks, view, files ...) decoded; token removed. */
  args: JsonObject;
  time: number;
  ok: boolean;
  error?: string;
}

export type { SpecViolation };

/**
 * A fault the next call of one method meets (tests, demos). `error` alone answers `{ ok: false, error }`
 * without running the method; `error: "ratelimited"` (or "rate_limited") answers HTTP 429 with Retry-After, as Slack does;
 * `delayMs` holds the answer back first (a slow Slack), and without `error` the call then runs as usual.
 */
export interface WebApiFault {
  error?: string;
  /** Seconds in the Retry-After header of a rate-limited answer. Default 1. */
  retryAfter?: number;
  delayMs?: number;
}

/** The `failNext` key for posts to response_urls (not a Web API method, but faults the same way). */
export const RESPONSE_URL_FAULTS = "response_url";

export const DEFAULT_BOT_TOKEN = "xoxb-playground-token";
export const DEFAULT_APP_TOKEN = "xapp-1-A0PLAYAPP0-1-playground";

export class SlackWebApiStandIn {
  readonly calls: ApiCallRecord[] = [];
  readonly violations: SpecViolation[] = [];
  readonly identity: WorkspaceIdentity;
  readonly botToken: string;
  readonly appToken: string;
  /** The fake workspace's state; the workspace simulator and the playground UI drive it directly. */
  readonly state: WorkspaceState;
  /** The channel commands and tests use when none is named (the first configured channel). */
  readonly defaultChannel: ChannelRecord;

  private readonly listeners = new Set<StandInChangeListener>();
  private readonly faults = new Map<string, WebApiFault[]>();
  private readonly server: Server;
  private port = 0;

  private constructor(private readonly options: WebApiStandInOptions) {
    const now = options.now ?? Date.now;
    this.identity = { ...DEFAULT_WORKSPACE_IDENTITY, ...options.identity };
    this.botToken = options.botToken ?? DEFAULT_BOT_TOKEN;
    this.appToken = options.appToken ?? DEFAULT_APP_TOKEN;
    this.state = new WorkspaceState({
      identity: this.identity,
      ids: new SlackIdFactory(now),
      now,
      baseUrl: () => this.baseUrl,
      triggerTtlMs: options.triggerTtlMs ?? 3000,
      responseUrlTtlMs: options.responseUrlTtlMs ?? 30 * 60 * 1000,
      responseUrlMaxUses: options.responseUrlMaxUses ?? 5,
      emit: (change) => this.emit(change),
    });
    this.state.socketModeUrl = options.socketModeUrl;
    const channels = (options.channels ?? [{ name: "general" }]).map((channel) => this.state.channels.add(channel));
    this.defaultChannel = channels[0] ?? this.state.channels.add({ name: "general" });
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => sendJson(response, 500, { ok: false, error: "fatal_error", detail: String(error) }));
    });
  }

  static async start(options: WebApiStandInOptions = {}): Promise<SlackWebApiStandIn> {
    const standIn = new SlackWebApiStandIn(options);
    await new Promise<void>((resolve, reject) => {
      standIn.server.once("error", reject);
      standIn.server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    standIn.port = (standIn.server.address() as AddressInfo).port;
    return standIn;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** For Bolt's clientOptions.slackApiUrl / new WebClient(token, { slackApiUrl }). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** The WebSocket URL (ws://...) apps.connections.open answers with; unset, Socket Mode cannot connect. Kept across reset. */
  get socketModeUrl(): string | undefined {
    return this.state.socketModeUrl;
  }

  set socketModeUrl(url: string | undefined) {
    this.state.socketModeUrl = url;
  }

  // ---- workspace directory (kept across reset) ----

  addUser(input: SlackUserInput): SlackUserRecord {
    const user = this.state.users.add(input);
    this.emit({ kind: "directory", action: "user_added", id: user.id });
    return user;
  }

  user(userId: string): SlackUserRecord | undefined {
    return this.state.users.get(userId);
  }

  users(): SlackUserRecord[] {
    return this.state.users.list();
  }

  addChannel(input: { id?: string; name: string; is_private?: boolean }): ChannelRecord {
    const channel = this.state.channels.add(input);
    this.emit({ kind: "directory", action: "channel_added", id: channel.id });
    return channel;
  }

  channels(): ChannelRecord[] {
    return this.state.channels.list();
  }

  /** The app's DM channel with a user (created if needed, as conversations.open would). */
  dmChannel(userId: string): ChannelRecord {
    return this.state.channels.dmFor(userId);
  }

  // ---- what happened (cleared by reset) ----

  conversation(channelId: string): StoredMessage[] {
    return this.state.conversations.conversation(channelId);
  }

  message(channelId: string, ts: string): StoredMessage | undefined {
    return this.state.conversations.find(channelId, ts);
  }

  ephemerals(filter: { channel?: string; user?: string } = {}): StoredEphemeral[] {
    return this.state.conversations.ephemerals(filter);
  }

  /** The user's open modal, root first (at most 3 views). */
  openViews(userId: string): SlackView[] {
    return this.state.views.modalStack(userId);
  }

  homeView(userId: string): SlackView | undefined {
    return this.state.views.home(userId);
  }

  view(viewId: string): SlackView | undefined {
    return this.state.views.find(viewId)?.view;
  }

  files(): StoredFile[] {
    return this.state.files.list();
  }

  file(fileId: string): StoredFile | undefined {
    return this.state.files.get(fileId);
  }

  callsTo(method: string): ApiCallRecord[] {
    return this.calls.filter((call) => call.method === method);
  }

  // ---- change feed ----

  subscribe(listener: StandInChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the probe's first truthy answer, re-checking on every state change. */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 2000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let unsubscribe: () => void = () => undefined;
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`waitFor: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        let value: T | undefined | null | false;
        try {
          value = probe();
        } catch (error) {
          clearTimeout(timer);
          unsubscribe();
          reject(error);
          return;
        }
        if (!value) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(value);
      };
      unsubscribe = this.subscribe(check);
      check();
    });
  }

  /** Queues a fault for the next call of `method` (one call each; queue several for several calls). */
  failNext(method: string, fault: WebApiFault): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  /** Forgets messages, views, files, triggers, response_urls, calls, violations and queued faults; keeps users and channels. */
  reset(): void {
    this.faults.clear();
    this.state.clear();
    this.calls.length = 0;
    this.violations.length = 0;
    this.emit({ kind: "reset" });
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private emit(change: StandInChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // A broken listener (e.g. a UI socket) must not break the Slack side.
      }
    }
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", this.baseUrl).pathname;
    const [, area, ...rest] = path.split("/");
    const rawBody = await readRawBody(request);
    if (area === "api" && rest.length === 1) return this.handleApiCall(decodeURIComponent(rest[0]!), request, rawBody, response);
    if (area === "response" && rest.length === 1 && request.method === "POST") {
      if (await this.answerFault(RESPONSE_URL_FAULTS, async () => ({}), response)) return;
      return handleResponseUrl(this.state, rest[0]!, rawBody, response);
    }
    if (area === "upload" && rest[0] === "v1" && rest.length === 2 && request.method === "POST") return handleUpload(this.state, rest[1]!, request, rawBody, response);
    if (area === "files" && rest.length >= 1 && request.method === "GET") return handleFileDownload(this.state, rest[0]!, response);
    sendJson(response, 404, { ok: false, error: "not_found" });
  }

  /** Plays the next queued fault of `method` (a delay, then maybe an error answer); true when it answered. */
  private async answerFault(method: string, argsOf: () => Promise<JsonObject>, response: ServerResponse): Promise<boolean> {
    const fault = this.faults.get(method)?.shift();
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (!fault?.error) return false;
    this.calls.push({ method, args: await argsOf(), time: Date.now(), ok: false, error: fault.error });
    this.emit({ kind: "call", method, ok: false, error: fault.error });
    if (fault.error === "ratelimited" || fault.error === "rate_limited") {
      response.setHeader("retry-after", String(fault.retryAfter ?? 1));
      sendJson(response, 429, { ok: false, error: fault.error });
    } else {
      sendJson(response, 200, { ok: false, error: fault.error });
    }
    return true;
  }

  private async handleApiCall(method: string, request: IncomingMessage, rawBody: Buffer, response: ServerResponse): Promise<void> {
    let args: JsonObject = {};
    let answer: JsonObject;
    if (await this.answerFault(method, async () => (await parseApiRequest(request, rawBody).catch(() => ({ args: {} }))).args, response)) return;
    try {
      const parsed = await parseApiRequest(request, rawBody);
      args = parsed.args;
      const answered = answerApiCall({ state: this.state, methods: IMPLEMENTED_METHODS, botToken: this.botToken, appToken: this.appToken, validator: this.options.validator }, method, parsed.token, args);
      this.violations.push(...answered.violations);
      answer = answered.answer;
    } catch (error) {
      // A stand-in bug answers like Slack's own internal error: an HTTP error would make
      // @slack/web-api retry for half an hour.
      answer = error instanceof SlackApiError ? error.toResponse() : new SlackApiError("fatal_error", [`stand-in: ${String(error)}`]).toResponse();
    }
    const record: ApiCallRecord = { method, args, time: Date.now(), ok: answer.ok === true, ...(typeof answer.error === "string" ? { error: answer.error } : {}) };
    this.calls.push(record);
    this.emit({ kind: "call", method, ok: record.ok, ...(record.error ? { error: record.error } : {}) });
    sendJson(response, 200, answer);
  }
}
