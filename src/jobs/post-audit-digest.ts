// Posts an audit digest to its channel through the Slack Web API (chat.postMessage).
import type { WebClient } from "@slack/web-api";
import type { DigestPoster } from "../services/digests/digest-service.js";
import { renderAuditDigest } from "../slack/views/audit-digest.js";

export function slackDigestPoster(client: WebClient): DigestPoster {
  return async (target, content) => {
    const message = renderAuditDigest(content);
    // unfurl off: the digest names VMs and people, nothing to preview.
    const posted = await client.chat.postMessage({ channel: target.channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
    if (!posted.ts) throw new Error("Slack did not return the digest message's ts");
    return { ts: posted.ts };
  };
}
