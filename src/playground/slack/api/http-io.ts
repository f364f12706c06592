// Small node:http helpers shared by the stand-in's routes.
import type { IncomingMessage, ServerResponse } from "node:http";

export async function readRawBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

export function sendBytes(response: ServerResponse, status: number, body: Buffer, contentType: string): void {
  response.writeHead(status, { "content-type": contentType, "content-length": body.length });
  response.end(body);
}

/** Parses a multipart/form-data body with the platform's own parser (undici), no extra dependency. */
export async function parseMultipart(rawBody: Buffer, contentType: string): Promise<FormData> {
  const request = new Request("http://stand-in.local/", { method: "POST", headers: { "content-type": contentType }, body: rawBody });
  return request.formData();
}
