// Slack's published OpenAPI description (2020) predates the "upload v2" methods that
// @slack/web-api's filesUploadV2 uses, and Socket Mode's apps.connections.open (2021), so the
// validator would call them unknown. This table adds them, from Slack's current method docs,
// reconciled with what @slack/web-api 8.x and @slack/socket-mode actually send
// (WebClient.fetchAllUploadURLExternal / file-upload.js; SocketModeClient.retrieveWSSURL).
// Violations found through this table are marked source: "supplement".

export interface SupplementMethod {
  args: readonly string[];
  required: readonly string[];
}

export const SPEC_SUPPLEMENT: Readonly<Record<string, SupplementMethod>> = {
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
  "apps.connections.open": {
    // Socket Mode: no arguments besides the app-level token (xapp-...), which @slack/socket-mode
    // sends as Authorization: Bearer. The stand-in refuses any other token (answer-api-call.ts).
    args: [],
    required: [],
  },
};
