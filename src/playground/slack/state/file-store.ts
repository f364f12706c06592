// Files uploaded the "v2" way: files.getUploadURLExternal hands out an upload URL, the client POSTs
// the bytes there, files.completeUploadExternal finishes (and optionally shares) the file.
import { extname } from "node:path";
import type { SlackIdFactory } from "../slack-ids.js";
import { SlackApiError } from "../api/slack-api-error.js";

/** The file object Slack returns (the fields bots read). */
export interface SlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  pretty_type: string;
  user: string;
  size: number;
  mode: "hosted" | "snippet";
  is_external: false;
  url_private: string;
  url_private_download: string;
  permalink: string;
  channels: string[];
  alt_txt?: string;
}

export interface StoredFile {
  file: SlackFile;
  content: Buffer | undefined;
  declaredLength: number;
  completed: boolean;
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  txt: "text/plain", log: "text/plain", csv: "text/csv", json: "application/json", md: "text/markdown",
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", pdf: "application/pdf", yaml: "text/yaml", yml: "text/yaml",
};

export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  private readonly uploadSecrets = new Map<string, string>();

  constructor(
    private readonly ids: SlackIdFactory,
    private readonly now: () => number,
    private readonly urls: { base: () => string; teamDomain: string; teamId: string },
  ) {}

  createUpload(input: { filename: string; length: number; altText?: string; snippetType?: string; userId: string }): { file_id: string; upload_url: string } {
    const id = this.ids.id("F");
    const secret = this.ids.secret();
    const filetype = extname(input.filename).slice(1).toLowerCase() || "text";
    const seconds = Math.floor(this.now() / 1000);
    const file: SlackFile = {
      id, created: seconds, timestamp: seconds, name: input.filename, title: input.filename,
      mimetype: MIME_TYPES[filetype] ?? "application/octet-stream", filetype, pretty_type: filetype.toUpperCase(),
      user: input.userId, size: input.length, mode: input.snippetType ? "snippet" : "hosted", is_external: false,
      url_private: `${this.urls.base()}/files/${id}/${encodeURIComponent(input.filename)}`,
      url_private_download: `${this.urls.base()}/files/${id}/${encodeURIComponent(input.filename)}?download=1`,
      permalink: `https://${this.urls.teamDomain}.slack.com/files/${input.userId}/${id}/${encodeURIComponent(input.filename)}`,
      channels: [],
      ...(input.altText === undefined ? {} : { alt_txt: input.altText }),
    };
    this.files.set(id, { file, content: undefined, declaredLength: input.length, completed: false });
    this.uploadSecrets.set(secret, id);
    return { file_id: id, upload_url: `${this.urls.base()}/upload/v1/${secret}` };
  }

  /** The bytes POSTed to an upload URL; false when the URL is unknown. */
  receive(secret: string, content: Buffer): StoredFile | undefined {
    const id = this.uploadSecrets.get(secret);
    const stored = id ? this.files.get(id) : undefined;
    if (!stored) return undefined;
    stored.content = content;
    stored.file.size = content.length;
    return stored;
  }

  complete(fileId: string, title: string | undefined, channel: string | undefined): SlackFile {
    const stored = this.files.get(fileId);
    if (!stored || stored.content === undefined) throw new SlackApiError("file_not_found");
    stored.completed = true;
    if (title) stored.file.title = title;
    if (channel && !stored.file.channels.includes(channel)) stored.file.channels.push(channel);
    return structuredClone(stored.file);
  }

  get(fileId: string): StoredFile | undefined {
    const stored = this.files.get(fileId);
    return stored && copyOf(stored);
  }

  list(): StoredFile[] {
    return [...this.files.values()].map(copyOf);
  }

  clear(): void {
    this.files.clear();
    this.uploadSecrets.clear();
  }
}

// structuredClone would turn the Buffer into a bare Uint8Array.
function copyOf(stored: StoredFile): StoredFile {
  return { ...stored, file: structuredClone(stored.file), content: stored.content && Buffer.from(stored.content) };
}
