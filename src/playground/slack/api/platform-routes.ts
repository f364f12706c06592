// The URLs Slack hands out around the Web API: response_urls, file upload URLs and file downloads.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isJsonObject } from "../json-types.js";
import { applyResponseMessage } from "../state/response-messages.js";
import type { WorkspaceState } from "../state/workspace-state.js";
import { parseMultipart, sendBytes, sendJson } from "./http-io.js";
import { SlackApiError } from "./slack-api-error.js";

/** POST /response/<id>: Slack's JSON message format, applied to the conversation. */
export function handleResponseUrl(state: WorkspaceState, id: string, rawBody: Buffer, response: ServerResponse): void {
  const lookup = state.responseUrls.use(id);
  if (!lookup.ok) return sendJson(response, 404, { ok: false, error: lookup.error });
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return sendJson(response, 400, { ok: false, error: "invalid_json" });
  }
  if (!isJsonObject(body)) return sendJson(response, 400, { ok: false, error: "json_not_object" });
  try {
    const applied = applyResponseMessage(state, lookup.context, body, "response_url");
    state.responseUrls.adoptSource(id, applied.source);
    sendJson(response, 200, { ok: true });
  } catch (error) {
    if (!(error instanceof SlackApiError)) throw error;
    sendJson(response, error.code === "message_not_found" ? 404 : 400, error.toResponse());
  }
}

/** POST /upload/v1/<secret>: the bytes of a file announced with files.getUploadURLExternal. */
export async function handleUpload(state: WorkspaceState, secret: string, request: IncomingMessage, rawBody: Buffer, response: ServerResponse): Promise<void> {
  const contentType = request.headers["content-type"] ?? "";
  // @slack/web-api posts multipart/form-data with the bytes in one file field; raw bodies (curl) work too.
  let content = rawBody;
  if (contentType.startsWith("multipart/form-data")) {
    const form = await parseMultipart(rawBody, contentType);
    const part = [...form.values()].find((value) => typeof value !== "string") as Blob | undefined;
    if (part) content = Buffer.from(await part.arrayBuffer());
  }
  const stored = state.files.receive(secret, content);
  if (!stored) return sendJson(response, 404, { ok: false, error: "invalid_upload_url" });
  state.emit({ kind: "file", action: "uploaded", fileId: stored.file.id });
  response.writeHead(200, { "content-type": "text/plain" });
  response.end(`OK - ${content.length}`);
}

/** GET /files/<id>/<name>: a file's url_private. */
export function handleFileDownload(state: WorkspaceState, fileId: string, response: ServerResponse): void {
  const stored = state.files.get(fileId);
  if (!stored?.content) return sendJson(response, 404, { ok: false, error: "file_not_found" });
  sendBytes(response, 200, stored.content, stored.file.mimetype);
}
