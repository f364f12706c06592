// Posts to an interaction's response_url. Node's http client with keep-alive agents, not fetch: it is the
// one outbound call of nearly every interaction, and fetch's WHATWG machinery (streams, Request objects,
// abort signals) cost several times more CPU per post (measured by the benchmark's CPU profile).
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
const TIMEOUT_MS = 10_000;

/** True when Slack took the message; false when the URL expired, was used up, or did not answer. */
export function postToResponseUrl(url: string, body: Record<string, unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve(false);
    }
    const secure = target.protocol === "https:";
    if (!secure && target.protocol !== "http:") return resolve(false);
    const payload = Buffer.from(JSON.stringify(body));
    const send = secure ? httpsRequest : httpRequest;
    const request = send(
      target,
      { method: "POST", agent: secure ? agents.https : agents.http, timeout: TIMEOUT_MS, headers: { "content-type": "application/json", "content-length": payload.length } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", () => resolve(false));
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          if (status < 200 || status >= 300) return resolve(false);
          try {
            resolve((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { ok?: boolean }).ok !== false);
          } catch {
            resolve(true); // Slack answers a plain "ok"
          }
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error("response_url timed out")));
    request.on("error", () => resolve(false));
    request.end(payload);
  });
}
