// Sends a body to the bot exactly as given, signed: for forged payloads and for re-delivering a
// request byte for byte the way Slack retries it.
import { slackSignature } from "../../src/playground/slack/index.js";
import { SIGNING_SECRET } from "./bot-harness.js";

export async function postSigned(botUrl: string, body: string, options: { contentType?: string; retryNum?: number } = {}) {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  const response = await fetch(`${botUrl}/slack/events`, { method: "POST", headers, body });
  return { status: response.status, body: await response.text() };
}
