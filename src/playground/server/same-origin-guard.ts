// The playground has no sign-in, so only its own page, opened on this machine, may drive it. A web page
// elsewhere cannot: a POST must be JSON (a cross-site form cannot send that without a CORS preflight,
// which the playground never grants) and its Origin, when the browser sends one, must be the playground.
// DNS rebinding cannot either: a request whose Host is not the playground's loopback address and port is
// refused, for the page and the event stream as much as for the POSTs.
import type { IncomingMessage } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import { sendJson } from "./http-io.js";

/** Wraps each route so that a request from anywhere but the playground's own page gets 403 and a reason. */
export function sameOriginOnly(port: number): (route: CustomRoute) => CustomRoute {
  return (route) => ({
    ...route,
    handler: (request, response) => {
      const refusal = crossSiteRefusal(request, port);
      if (refusal) return sendJson(response, 403, { ok: false, error: refusal });
      return route.handler(request, response);
    },
  });
}

export function crossSiteRefusal(request: Pick<IncomingMessage, "method" | "headers">, port: number): string | undefined {
  const loopback = ["localhost", "127.0.0.1", "[::1]"].map((host) => `${host}:${port}`);
  const host = request.headers.host?.toLowerCase();
  if (!host || !loopback.includes(host)) return `refused: Host ${host ?? "(none)"} is not this playground (open http://localhost:${port}/)`;
  if (request.method !== "POST") return undefined;

  const contentType = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/json") return "refused: Content-Type must be application/json";
  const origin = request.headers.origin?.toLowerCase();
  if (origin !== undefined && !loopback.some((address) => origin === `http://${address}`)) return `refused: cross-site request from Origin ${origin}`;
  return undefined;
}
