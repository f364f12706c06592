// files.getUploadURLExternal and files.completeUploadExternal (what client.filesUploadV2 calls).
import { SlackApiError } from "../api/slack-api-error.js";
import { isJsonObject } from "../json-types.js";
import type { SlackFile } from "../state/file-store.js";
import { stringArg } from "./method-args.js";
import type { MethodTable } from "./method-types.js";

export const filesMethods: MethodTable = {
  "files.getUploadURLExternal": ({ args, state }) => {
    const filename = stringArg(args, "filename");
    const length = Number(stringArg(args, "length") ?? "0");
    if (!filename || !Number.isInteger(length) || length <= 0) throw new SlackApiError("missing_argument");
    const altText = stringArg(args, "alt_txt") ?? stringArg(args, "alt_text");
    const snippetType = stringArg(args, "snippet_type");
    const upload = state.files.createUpload({
      filename,
      length,
      userId: state.identity.botUserId,
      ...(altText === undefined ? {} : { altText }),
      ...(snippetType === undefined ? {} : { snippetType }),
    });
    return { ok: true, ...upload };
  },

  "files.completeUploadExternal": ({ args, state }) => {
    if (!Array.isArray(args.files) || args.files.length === 0 || !args.files.every(isJsonObject)) {
      throw new SlackApiError("invalid_arguments", ["files must be a JSON array of { id, title }"]);
    }
    const channelArg = stringArg(args, "channel_id") ?? stringArg(args, "channels")?.split(",")[0];
    const channel = channelArg ? state.channels.get(channelArg) : undefined;
    if (channelArg && !channel) throw new SlackApiError("invalid_channel");
    const completed: SlackFile[] = args.files.map((entry) => state.files.complete(String(entry.id), typeof entry.title === "string" ? entry.title : undefined, channel?.id));
    for (const file of completed) state.emit({ kind: "file", action: "completed", fileId: file.id });
    if (channel) {
      const threadTs = stringArg(args, "thread_ts");
      // Sharing a file posts a message carrying the files, with initial_comment as its text.
      state.postBotMessage(
        channel.id,
        { text: stringArg(args, "initial_comment") ?? "", ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}) },
        { ...(threadTs ? { thread_ts: threadTs } : {}), files: completed, origin: "files.completeUploadExternal" },
      );
    }
    return { ok: true, files: completed };
  },
};
