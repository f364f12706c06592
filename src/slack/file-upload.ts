// Sharing a file the way Slack wants it now, streamed: files.getUploadURLExternal announces the name and
// byte length, the bytes are POSTed to the upload URL it returns (piped from a stream, never held in
// memory), and files.completeUploadExternal shares the file in a channel.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { WebClient } from "@slack/web-api";

export interface FileToShare {
  filename: string;
  title: string;
  initialComment: string;
  /** Exact size in bytes: Slack wants it before the upload starts. */
  bytes: number;
  /** A fresh stream of the bytes (called once per upload). */
  open(): Readable;
}

const UPLOAD_TIMEOUT_MS = 10 * 60_000;

export async function shareFile(client: WebClient, channelId: string, file: FileToShare): Promise<void> {
  const { upload_url: uploadUrl, file_id: fileId } = await client.files.getUploadURLExternal({ filename: file.filename, length: file.bytes });
  if (!uploadUrl || !fileId) throw new Error("Slack did not return an upload URL");
  await postBytes(uploadUrl, file);
  await client.files.completeUploadExternal({ files: [{ id: fileId, title: file.title }], channel_id: channelId, initial_comment: file.initialComment });
}

/** POSTs the stream with its length; the upload URL is pre-authorized, so no token goes with it. */
async function postBytes(url: string, file: FileToShare): Promise<void> {
  const target = new URL(url);
  const request = (target.protocol === "http:" ? httpRequest : httpsRequest)(target, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", "content-length": String(file.bytes) },
    timeout: UPLOAD_TIMEOUT_MS,
  });
  request.on("timeout", () => request.destroy(new Error("the file upload to Slack timed out")));
  const response = new Promise<number>((resolve, reject) => {
    request.on("response", (answer) => {
      answer.resume(); // the body ("OK - <bytes>") is not needed
      answer.on("end", () => resolve(answer.statusCode ?? 0));
      answer.on("error", reject);
    });
    request.on("error", reject);
  });
  const [, status] = await Promise.all([pipeline(file.open(), request), response]);
  if (status !== 200) throw new Error(`Slack refused the file upload (HTTP ${status})`);
}
