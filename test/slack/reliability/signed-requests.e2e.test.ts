// Reliability: requests that Slack did not sign, signed long ago, signed for another body, or that are
// not well-formed reach the real HTTP receiver of the running bot and are answered with the exact status
// Bolt gives them (401 unsigned/stale, 400 malformed, 413 oversized), and nothing behind them runs: no
// user, no audit row, no operation, no provider change, no Web API call.
import { connect } from "node:net";
import { expect, it } from "vitest";
import { slackSignature } from "../../../src/playground/slack/index.js";
import { SIGNING_SECRET, USERS } from "../../support/bot-harness.js";
import { describeWithBot } from "../../support/describe-with-bot.js";
import { addVms } from "../../support/slack-helpers.js";

const FORM = "application/x-www-form-urlencoded";
/** Bolt's default body limit is 4 MiB. */
const OVERSIZED_BYTES = 4 * 1024 * 1024;
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface RawRequest {
  body: string | Buffer;
  contentType?: string;
  /** Headers as sent; undefined leaves one out. */
  timestamp?: string;
  signature?: string;
}

function requestHeaders(request: RawRequest, length: number): Record<string, string> {
  const headers: Record<string, string> = { "content-type": request.contentType ?? FORM, "content-length": String(length) };
  if (request.timestamp !== undefined) headers["x-slack-request-timestamp"] = request.timestamp;
  if (request.signature !== undefined) headers["x-slack-signature"] = request.signature;
  return headers;
}

async function postRaw(botUrl: string, request: RawRequest): Promise<number> {
  const body = typeof request.body === "string" ? Buffer.from(request.body) : request.body;
  if (body.length > OVERSIZED_BYTES) return postOversized(botUrl, request, body);
  const response = await fetch(`${botUrl}/slack/events`, { method: "POST", headers: requestHeaders(request, body.length), body });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Bolt reads an oversized body up to its limit, answers 413 and closes the connection: a client that sends
 * it in one go sees a reset instead of the status. So the body goes out in pieces over a plain socket, each
 * after the last is written, and sending stops at the first byte of the answer.
 */
function postOversized(botUrl: string, request: RawRequest, body: Buffer): Promise<number> {
  const { hostname, port } = new URL(botUrl);
  const head = [`POST /slack/events HTTP/1.1`, `host: ${hostname}:${port}`, ...Object.entries(requestHeaders(request, body.length)).map(([name, value]) => `${name}: ${value}`), "", ""].join("\r\n");
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => settle(new Error(`no answer to an oversized body; got: ${answer.slice(0, 80)}`)), 15_000);
    const settle = (outcome: number | Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (typeof outcome === "number") resolve(outcome);
      else reject(outcome);
    };
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      const statusLine = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (statusLine) settle(Number(statusLine[1]));
    });
    socket.on("error", (error) => settle(error));
    socket.on("connect", async () => {
      const write = (data: Buffer | string) => new Promise<void>((done, fail) => socket.write(data, (error) => (error ? fail(error) : done())));
      try {
        await write(head);
        for (let offset = 0; offset < body.length && !answer; offset += 64 * 1024) {
          await write(body.subarray(offset, offset + 64 * 1024));
          await new Promise((next) => setImmediate(next));
        }
      } catch {
        // The answer, if any, is already in; otherwise the error handler rejects.
      }
    });
  });
}

/** Correctly signed now (or at `timestamp`) with the bot's signing secret. */
function signed(body: string, options: { contentType?: string; timestamp?: number } = {}): RawRequest {
  const timestamp = options.timestamp ?? nowSeconds();
  return { body, contentType: options.contentType, timestamp: String(timestamp), signature: slackSignature(SIGNING_SECRET, timestamp, body) };
}

describeWithBot("Reliability: signed-request fuzz through the HTTP receiver", (t) => {
  it("answers every unsigned, stale, re-bodied, malformed or oversized request exactly and executes none", async () => {
    const { workspace, bot, standIn, botUrl } = t.harness;
    const [vm] = await addVms(bot, 2, { status: "stopped" });
    const simulator = bot.providers.simulator("simulator");

    // Real slash-command bodies, exactly as the workspace builds them (sent unsigned, so refused).
    await workspace.command(USERS.admin.id, "/vm", "start vm-001", { delivery: { signature: "missing" } });
    await workspace.command(USERS.admin.id, "/vm", "start vm-002", { delivery: { signature: "missing" } });
    const [startOne, startTwo] = workspace.deliveries.map((delivery) => delivery.requestBody);
    expect(startOne).toContain("start+vm-001");
    expect(startTwo).toContain("start+vm-002");

    // Bolt's own auth.test at start-up may be recorded already; only what follows counts.
    const callsBefore = standIn.calls.length;
    const now = nowSeconds();
    const validForOne = signed(startOne!, { timestamp: now });
    const clickWithBrokenJson = `payload=${encodeURIComponent('{"type":"block_actions","actions":[{"action_id":"vm_start",')}`;
    const oversized = `${startOne!}&pad=${"x".repeat(5 * 1024 * 1024)}`;

    const cases: { name: string; request: RawRequest; status: number }[] = [
      { name: "no signature headers at all", request: { body: startOne! }, status: 401 },
      { name: "signature without a timestamp", request: { body: startOne!, signature: validForOne.signature }, status: 401 },
      { name: "timestamp without a signature", request: { body: startOne!, timestamp: validForOne.timestamp }, status: 401 },
      { name: "empty signature", request: { ...validForOne, signature: "" }, status: 401 },
      { name: "signature of another secret", request: { ...validForOne, signature: slackSignature(`${SIGNING_SECRET}-not`, now, startOne!) }, status: 401 },
      { name: "not an HMAC at all", request: { ...validForOne, signature: "v0=zz" }, status: 401 },
      { name: "signature with another version prefix", request: { ...validForOne, signature: validForOne.signature!.replace(/^v0=/, "v1=") }, status: 401 },
      { name: "timestamp that is not a number", request: { ...validForOne, timestamp: "yesterday" }, status: 401 },
      { name: "stale: signed 5 min 1 s ago", request: signed(startOne!, { timestamp: now - 301 }), status: 401 },
      { name: "stale: signed an hour ago", request: signed(startOne!, { timestamp: now - 3600 }), status: 401 },
      { name: "replayed signature with another body", request: { ...validForOne, body: startTwo! }, status: 401 },
      { name: "replayed signature with one byte appended", request: { ...validForOne, body: `${startOne!}&` }, status: 401 },
      { name: "replayed signature with a moved timestamp", request: { ...validForOne, timestamp: String(now + 1) }, status: 401 },
      { name: "signed interaction whose payload= is not JSON", request: signed(clickWithBrokenJson), status: 400 },
      { name: "signed form body sent as application/json", request: signed(startOne!, { contentType: "application/json" }), status: 400 },
      { name: "signed form body sent as text/plain", request: signed(startOne!, { contentType: "text/plain" }), status: 400 },
      // Bolt compares the content type exactly: with a charset it parses the body as JSON, and refuses it.
      { name: "signed form body with a charset in its content type", request: signed(startOne!, { contentType: `${FORM}; charset=utf-8` }), status: 400 },
      { name: "signed JSON body that is not JSON", request: signed('{"type":"event_callback",', { contentType: "application/json" }), status: 400 },
      { name: "signed empty JSON body", request: signed("", { contentType: "application/json" }), status: 400 },
      { name: "oversized (5 MiB) and correctly signed", request: signed(oversized), status: 413 },
      { name: "oversized (5 MiB) and unsigned", request: { body: oversized }, status: 413 },
    ];

    const answers: Record<string, number> = {};
    for (const fuzz of cases) answers[fuzz.name] = await postRaw(botUrl, fuzz.request);
    expect(answers).toEqual(Object.fromEntries(cases.map((fuzz) => [fuzz.name, fuzz.status])));
    // The same, all at once: no interleaving lets one through.
    const concurrent = await Promise.all(cases.map((fuzz) => postRaw(botUrl, fuzz.request)));
    expect(concurrent).toEqual(cases.map((fuzz) => fuzz.status));
    await t.harness.idle();

    // Nothing executed: no user resolved, nothing audited (in particular nothing succeeded), no operation,
    // the VMs and the machines behind them untouched, and not one Web API call from a listener.
    expect(await bot.db.prisma.auditLog.count({ where: { outcome: "succeeded" } })).toBe(0);
    expect(await bot.db.prisma.auditLog.count()).toBe(0);
    expect(await bot.db.prisma.user.count()).toBe(0);
    expect(await bot.db.prisma.operationExecution.count()).toBe(0);
    expect((await bot.db.prisma.vm.findMany({ orderBy: { name: "asc" } })).map((row) => row.status)).toEqual(["stopped", "stopped"]);
    expect((await simulator.describeInstance(vm!.providerResourceId!)).state).toBe("stopped");
    expect(standIn.calls.slice(callsBefore).map((call) => call.method)).toEqual([]);

    // The bot lives on: the very body it refused is served once it is correctly signed.
    expect(await postRaw(botUrl, signed(startOne!))).toBe(200);
    await t.harness.idle();
    expect(await bot.db.prisma.operationExecution.count()).toBe(1);
  });
});
