import { Writable } from "node:stream";
import { WebAPIHTTPError, WebAPIRequestError } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { createLogger, describeDatabaseUrl } from "../src/logger.js";

it("redacts tokens, secrets and credentials wherever they appear", () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
  const logger = createLogger("info", sink);
  logger.info({ config: { SLACK_BOT_TOKEN: "xoxb-very-secret", SLACK_SIGNING_SECRET: "shh" }, headers: { authorization: "Bearer xoxb-very-secret" }, aws: { secretAccessKey: "AKIA-secret" } }, "hello");
  const output = lines.join("");
  expect(output).toContain("hello");
  expect(output).not.toMatch(/xoxb-very-secret|shh|AKIA-secret/);
  expect(output).toContain("[redacted]");
});

it("drops passwords from database URLs", () => {
  expect(describeDatabaseUrl("postgresql://bot:hunter2@db:5432/vm")).toBe("postgresql://bot:***@db:5432/vm");
  expect(describeDatabaseUrl("file:./data/x.db")).toBe("file:./data/x.db");
});

describe("deep redaction of nested secrets", () => {
  const SECRETS = {
    bot: "xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx",
    user: "xoxp-3333333333-4444444444-5555555555-abcdef0123456789abcdef0123456789",
    app: "xapp-1-A0123456789-1234567890123-0123456789abcdef0123456789abcdef",
    refresh: "xoxe-1-My0xLTEwMC0xLTEwMDAwMDAwMA",
    cookie: "d=xoxd-sessioncookie123456; d-s=1700000000",
    apiKey: "ak_live_9f8e7d6c5b4a39281706",
    signing: "8f742231b10e8888abcd99yyyzzz85a5",
    password: "hunter2-correct-horse",
    awsSecret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    dbPassword: "pg-s3cr3t-pass",
  };
  const SECRET_PATTERN = new RegExp(Object.values(SECRETS).map((secret) => secret.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|"));

  function capture() {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
    return { logger: createLogger("debug", sink), output: () => lines.join("") };
  }

  /** What an axios error from an HTTP client looks like: the request's config, the raw request, the response, cycles. */
  function axiosLikeError() {
    const headers = { Accept: "application/json", Authorization: `Bearer ${SECRETS.bot}`, Cookie: SECRETS.cookie, "X-Api-Key": SECRETS.apiKey, "User-Agent": "@slack/web-api" };
    const request: Record<string, unknown> = {
      method: "POST",
      path: "/api/chat.postMessage",
      _header: `POST /api/chat.postMessage HTTP/1.1\r\nAccept: application/json\r\nAuthorization: Bearer ${SECRETS.bot}\r\nCookie: ${SECRETS.cookie}\r\nx-api-key: ${SECRETS.apiKey}\r\nHost: slack.com\r\n\r\n`,
      headers: { ...headers },
    };
    const response: Record<string, unknown> = {
      status: 500,
      statusText: "Internal Server Error",
      headers: { "set-cookie": [SECRETS.cookie], "x-slack-req-id": "abc123" },
      config: { url: "https://slack.com/api/chat.postMessage", headers: { ...headers }, data: `token=${SECRETS.user}&channel=C123` },
      request: { headers: { ...headers }, _header: request._header },
      data: { ok: false, error: "internal_error" },
    };
    request.res = response; // cycles, as in Node's ClientRequest/IncomingMessage
    response.request = { ...(response.request as object), res: response };
    const error = Object.assign(new Error("Request failed with status code 500"), {
      isAxiosError: true,
      code: "ERR_BAD_RESPONSE",
      config: { url: "https://slack.com/api/chat.postMessage", method: "post", headers, data: `token=${SECRETS.bot}&text=hi`, auth: { username: "bot", password: SECRETS.password } },
      request,
      response,
    });
    return error;
  }

  it("never writes a secret from an axios-like error wrapped by @slack/web-api, however deep", () => {
    const { logger, output } = capture();
    const axiosError = axiosLikeError();
    const wrapped = new WebAPIRequestError(axiosError);
    const httpError = new WebAPIHTTPError(401, "Unauthorized", { "set-cookie": SECRETS.cookie, authorization: `Bearer ${SECRETS.bot}` }, { ok: false, token: SECRETS.bot });
    logger.error({ err: wrapped }, "could not post");
    logger.error(axiosError, "plain axios error");
    logger.warn({ err: httpError, operationId: 7 }, "http error");
    logger.error({ job: { steps: [{ attempt: { failure: { cause: wrapped } } }] } }, "deep inside something else");
    const output1 = output();
    expect(output1).not.toMatch(SECRET_PATTERN);
    expect(output1).toContain("Request failed with status code 500");
    expect(output1).toContain("A request error occurred");
    expect(output1).toContain("/api/chat.postMessage");
    expect(output1).toContain("internal_error");
    expect(output1).toContain("[redacted]");
    expect(output1).toContain("[Circular]");
  });

  it("scrubs tokens, credentials in URLs and key=value secrets from strings and messages", () => {
    const { logger, output } = capture();
    logger.info(`connecting with ${SECRETS.app}`);
    logger.info({ url: `postgresql://bot:${SECRETS.dbPassword}@db:5432/vm`, note: `aws_secret_access_key=${SECRETS.awsSecret}`, header: `Bearer ${SECRETS.refresh}` }, "config");
    logger.info({ DATABASE_URL: `postgresql://bot:${SECRETS.dbPassword}@db/vm`, SLACK_SIGNING_SECRET: SECRETS.signing, aws: { AWS_SECRET_ACCESS_KEY: SECRETS.awsSecret }, Password: SECRETS.password }, "env");
    logger.child({ token: SECRETS.bot }).info("child bindings");
    const text = output();
    expect(text).not.toMatch(SECRET_PATTERN);
    expect(text).toContain("postgresql://bot:***@db:5432/vm");
    expect(text).toContain("child bindings");
  });

  it("stays bounded on cyclic and very deep objects", () => {
    const { logger, output } = capture();
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { secret: SECRETS.password };
    for (let level = 0; level < 50; level++) deep = { next: deep };
    logger.info({ cyclic, deep, wide: Array.from({ length: 5000 }, (_, index) => ({ index })) }, "shapes");
    const text = output();
    expect(text).toContain("[Circular]");
    expect(text).toContain("[truncated]");
    expect(text).not.toMatch(SECRET_PATTERN);
  });
});
