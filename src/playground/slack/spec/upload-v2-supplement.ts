// Slack's published OpenAPI description (2020) predates the "upload v2" methods that
// @slack/web-api's filesUploadV2 uses, so the validator would call them unknown.
// This table adds them, from Slack's current method docs, reconciled with what
// @slack/web-api 8.x actually sends (WebClient.fetchAllUploadURLExternal / file-upload.js).
// Violations found through this table are marked source: "supplement".

export interface SupplementMethod {
  args: readonly string[];
  required: readonly string[];
}

export const UPLOAD_V2_SUPPLEMENT: Readonly<Record<string, SupplementMethod>> = {
  "files.getUploadURLExternal": {
    // Docs spell the alt text argument "alt_txt"; @slack/web-api sends "alt_text". Accept both.
    args: ["filename", "length", "alt_txt", "alt_text", "snippet_type"],
    required: ["filename", "length"],
  },
  "files.completeUploadExternal": {
    // files: JSON array of { id, title }. blocks is sent by @slack/web-api when the caller gives blocks.
    args: ["files", "channel_id", "channels", "initial_comment", "thread_ts", "blocks"],
    required: ["files"],
  },
};
