// The page and its plain ES modules, served from src/playground/web as they are (no bundler: the
// browser loads the modules itself).
import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const WEB_ROOT = fileURLToPath(new URL("../web/", import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Sends a file below web/ (segments as the route matched them); 404 for anything else. */
export async function sendWebAsset(response: ServerResponse, segments: readonly string[]): Promise<void> {
  const path = resolve(WEB_ROOT, ...segments);
  const inside = !relative(WEB_ROOT, path).startsWith("..") && path.startsWith(WEB_ROOT.endsWith(sep) ? WEB_ROOT : WEB_ROOT + sep);
  const contentType = CONTENT_TYPES[extname(path)];
  if (!inside || !contentType) return notFound(response);
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return notFound(response);
  }
  // no-store: a developer editing the UI sees the change on reload.
  response.writeHead(200, { "content-type": contentType, "content-length": body.length, "cache-control": "no-store" });
  response.end(body);
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { "content-type": "text/plain" });
  response.end("not found");
}
