// The playground's HTTP plumbing: Bolt custom routes with JSON bodies checked by zod, and errors
// turned into JSON answers the page can show (a thrown handler would otherwise hang the request).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import { z } from "zod";

export type RouteRequest = IncomingMessage & { params?: Record<string, string | string[]> };
export type RouteHandler = (request: RouteRequest, response: ServerResponse) => Promise<void> | void;

/** A request the page got wrong (bad body, unknown user, no such element): answered with 400. */
export class PlaygroundRequestError extends Error {}

const MAX_BODY_BYTES = 1024 * 1024;

export function route(method: "GET" | "POST", path: string, handler: RouteHandler): CustomRoute {
  return {
    path,
    method: [method],
    handler: (request, response) => {
      Promise.resolve()
        .then(() => handler(request as RouteRequest, response))
        .catch((error: unknown) => sendError(response, error));
    },
  };
}

export async function readJsonBody<T extends z.ZodType>(request: IncomingMessage, schema: T): Promise<z.output<T>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new PlaygroundRequestError("request body too large");
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  } catch {
    throw new PlaygroundRequestError("request body is not JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new PlaygroundRequestError(z.prettifyError(parsed.error));
  return parsed.data;
}

export function queryParam(request: IncomingMessage, name: string): string | undefined {
  return new URL(request.url ?? "/", "http://playground.local").searchParams.get(name) ?? undefined;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  response.end(text);
}

function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  // The workspace simulator throws plain Errors for things a user could not do in Slack (an element
  // that is gone, a view no longer on top): the page shows the message and the server lives on.
  const message = error instanceof Error ? error.message : String(error);
  sendJson(response, error instanceof PlaygroundRequestError ? 400 : 500, { ok: false, error: message });
}
