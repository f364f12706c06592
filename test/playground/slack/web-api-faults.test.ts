// The stand-in's fault hook: failNext(method, fault) makes the next call of one method fail the way Slack
// fails (an error answer, a 429 with Retry-After, a slow answer), once, then Slack behaves again.
import { WebClient, WebClientEvent } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackWebApiStandIn, loadSlackSpecValidator } from "../../../src/playground/slack/index.js";
import { SLACK_API_SPEC_PATH } from "./spec-path.js";

const silent = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => "error" as never, setName() {} };
let standIn: SlackWebApiStandIn;
const clientWith = (options: ConstructorParameters<typeof WebClient>[1] = {}) =>
  new WebClient(standIn.botToken, { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 }, logger: silent, ...options });

beforeAll(async () => {
  standIn = await SlackWebApiStandIn.start({ validator: loadSlackSpecValidator(SLACK_API_SPEC_PATH) });
});
afterAll(() => standIn.close());
beforeEach(() => standIn.reset());

describe("Web API stand-in fault injection", () => {
  it("answers the next call of a method with the error given, without running it, then runs the following one", async () => {
    const client = clientWith();
    const channel = standIn.defaultChannel.id;
    standIn.failNext("chat.postMessage", { error: "invalid_blocks" });
    await expect(client.chat.postMessage({ channel, text: "first" })).rejects.toMatchObject({ data: { ok: false, error: "invalid_blocks" } });
    expect(standIn.conversation(channel)).toHaveLength(0);
    await client.auth.test(); // another method is not affected
    await client.chat.postMessage({ channel, text: "second" });
    expect(standIn.conversation(channel).map((message) => message.text)).toEqual(["second"]);
    expect(standIn.callsTo("chat.postMessage").map((call) => call.error ?? "ok")).toEqual(["invalid_blocks", "ok"]);
  });

  it("rate-limits with HTTP 429 and Retry-After, which the real client reads", async () => {
    standIn.failNext("chat.postMessage", { error: "ratelimited", retryAfter: 7 });
    const raw = await fetch(`${standIn.apiUrl}chat.postMessage`, { method: "POST", headers: { authorization: `Bearer ${standIn.botToken}`, "content-type": "application/json" }, body: JSON.stringify({ channel: standIn.defaultChannel.id, text: "x" }) });
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("7");
    expect(await raw.json()).toEqual({ ok: false, error: "ratelimited" });

    const client = clientWith({ rejectRateLimitedCalls: true });
    const seen: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (retryAfter: number) => seen.push(retryAfter));
    standIn.failNext("chat.postMessage", { error: "ratelimited", retryAfter: 3 });
    await expect(client.chat.postMessage({ channel: standIn.defaultChannel.id, text: "y" })).rejects.toMatchObject({ code: "slack_webapi_rate_limited_error", retryAfter: 3 });
    expect(seen).toEqual([3]);
    expect(standIn.conversation(standIn.defaultChannel.id)).toHaveLength(0);
  });

  it("holds a slow answer back: a client with a shorter timeout gives up, and the call still takes effect", async () => {
    const client = clientWith({ timeout: 20 });
    const channel = standIn.defaultChannel.id;
    standIn.failNext("chat.postMessage", { delayMs: 200 });
    await expect(client.chat.postMessage({ channel, text: "slow" })).rejects.toThrow();
    await standIn.waitFor(() => standIn.conversation(channel).length === 1);
    expect(standIn.conversation(channel)[0]!.text).toBe("slow");
  });

  it("forgets queued faults on reset", async () => {
    standIn.failNext("auth.test", { error: "invalid_auth" });
    standIn.reset();
    await expect(clientWith().auth.test()).resolves.toMatchObject({ ok: true });
  });
});
