// Slack's request signing: X-Slack-Signature = "v0=" + HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + raw body).
import { createHmac } from "node:crypto";

export function slackSignature(signingSecret: string, timestampSeconds: number, rawBody: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest("hex")}`;
}

/** Bolt refuses requests whose timestamp is more than 5 minutes old; this is 6. */
export const STALE_TIMESTAMP_AGE_SECONDS = 6 * 60;
