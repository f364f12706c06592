// Delivers what Slack sends to the app's Request URL (Bolt's POST /slack/events), signed, and records it.
import { isJsonObject, type JsonObject } from "../json-types.js";
import { slackSignature, STALE_TIMESTAMP_AGE_SECONDS } from "./request-signing.js";

export interface DeliveryOptions {
  /** "wrong": signed with another secret; "missing": no signature headers at all. Default "valid". */
  signature?: "valid" | "wrong" | "missing";
  /** Sign with a timestamp 6 minutes old (Bolt allows 5). */
  staleTimestamp?: boolean;
  /** Sends X-Slack-Retry-Num (and X-Slack-Retry-Reason, default "http_timeout"), as Slack does when it re-delivers. */
  retryNum?: number;
  retryReason?: string;
}

export interface BotReply {
  status: number;
  /** The bot's answer: parsed JSON, else the raw text ("" for a bare ack). */
  body: unknown;
  rawBody: string;
}

export interface DeliveryRecord {
  url: string;
  headers: Record<string, string>;
  requestBody: string;
  /** What the body says, decoded (the `payload` JSON for interactions). */
  payload: JsonObject;
  status: number;
  responseBody: string;
  time: number;
}

export type WireFormat = { kind: "form"; fields: Record<string, string> } | { kind: "json"; body: JsonObject };

export class BotEndpoint {
  readonly deliveries: DeliveryRecord[] = [];

  constructor(
    private readonly url: () => string,
    private readonly signingSecret: string,
  ) {}

  forget(): void {
    this.deliveries.length = 0;
  }

  async deliver(wire: WireFormat, options: DeliveryOptions = {}): Promise<BotReply> {
    const requestBody = wire.kind === "form" ? new URLSearchParams(wire.fields).toString() : JSON.stringify(wire.body);
    const headers: Record<string, string> = {
      // Bolt compares the content type exactly, so no "; charset=..." here (Slack sends none either).
      "content-type": wire.kind === "form" ? "application/x-www-form-urlencoded" : "application/json",
      "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    };
    const timestamp = Math.floor(Date.now() / 1000) - (options.staleTimestamp ? STALE_TIMESTAMP_AGE_SECONDS : 0);
    if (options.signature !== "missing") {
      const secret = options.signature === "wrong" ? `${this.signingSecret}-not` : this.signingSecret;
      headers["x-slack-request-timestamp"] = String(timestamp);
      headers["x-slack-signature"] = slackSignature(secret, timestamp, requestBody);
    }
    if (options.retryNum !== undefined) {
      headers["x-slack-retry-num"] = String(options.retryNum);
      headers["x-slack-retry-reason"] = options.retryReason ?? "http_timeout";
    }

    const url = this.url();
    const response = await fetch(url, { method: "POST", headers, body: requestBody });
    const rawBody = await response.text();
    this.deliveries.push({ url, headers, requestBody, payload: decodedPayload(wire), status: response.status, responseBody: rawBody, time: Date.now() });
    return { status: response.status, body: parseReply(rawBody), rawBody };
  }
}

function decodedPayload(wire: WireFormat): JsonObject {
  if (wire.kind === "json") return wire.body;
  const payload = wire.fields.payload;
  if (payload === undefined) return { ...wire.fields };
  const parsed: unknown = JSON.parse(payload);
  return isJsonObject(parsed) ? parsed : {};
}

function parseReply(rawBody: string): unknown {
  if (rawBody === "") return "";
  try {
    return JSON.parse(rawBody);
  } catch {
    return rawBody;
  }
}
