// Turns a Web API HTTP request into (token, args) the way Slack reads it: query string plus a
// form-encoded, multipart or JSON body. @slack/web-api sends form-encoded bodies in which objects
// (blocks, view, files ...) are JSON-encoded strings; those are decoded so calls record real objects.
import type { IncomingMessage } from "node:http";
import { isJsonObject, type JsonObject } from "../json-types.js";
import { parseMultipart } from "./http-io.js";
import { SlackApiError } from "./slack-api-error.js";

// Arguments Slack documents as "JSON-encoded string" in form posts.
const JSON_ENCODED_ARGS = new Set(["blocks", "attachments", "view", "files", "metadata", "unfurls", "user_auth_blocks", "options", "option_groups"]);

export interface ParsedApiRequest {
  token: string | undefined;
  args: JsonObject;
}

export async function parseApiRequest(request: IncomingMessage, rawBody: Buffer): Promise<ParsedApiRequest> {
  const url = new URL(request.url ?? "/", "http://stand-in.local");
  const args: JsonObject = Object.fromEntries(url.searchParams);
  Object.assign(args, await parseBody(request.headers["content-type"] ?? "", rawBody));
  for (const key of Object.keys(args)) args[key] = decodeJsonArg(key, args[key]);

  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? "")?.[1];
  const token = bearer ?? (typeof args.token === "string" ? args.token : undefined);
  delete args.token;
  return { token, args };
}

async function parseBody(contentType: string, rawBody: Buffer): Promise<JsonObject> {
  if (rawBody.length === 0) return {};
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody.toString("utf8"));
    } catch {
      throw new SlackApiError("invalid_json");
    }
    if (!isJsonObject(parsed)) throw new SlackApiError("json_not_object");
    return parsed;
  }
  if (mediaType === "application/x-www-form-urlencoded") {
    return Object.fromEntries(new URLSearchParams(rawBody.toString("utf8")));
  }
  if (mediaType === "multipart/form-data") {
    const form = await parseMultipart(rawBody, contentType);
    const args: JsonObject = {};
    for (const [key, value] of form) args[key] = typeof value === "string" ? value : Buffer.from(await (value as Blob).arrayBuffer());
    return args;
  }
  if (mediaType === "") throw new SlackApiError("missing_post_type");
  throw new SlackApiError("invalid_post_type");
}

function decodeJsonArg(key: string, value: unknown): unknown {
  if (!JSON_ENCODED_ARGS.has(key) || typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new SlackApiError("invalid_arguments", [`${key} is not valid JSON`]);
  }
}
