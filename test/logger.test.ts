import { Writable } from "node:stream";
import { expect, it } from "vitest";
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
