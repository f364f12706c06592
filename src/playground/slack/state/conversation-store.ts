// Messages in each conversation, in order, and ephemeral messages (each visible to one user).
import type { JsonObject, SlackBlock } from "../json-types.js";
import type { SlackFile } from "./file-store.js";

/** How a message came to be: handy in the playground UI and in assertions. */
export type MessageOrigin = "chat.postMessage" | "chat.postEphemeral" | "response_url" | "command_response" | "files.completeUploadExternal";

export interface MessageContent {
  text: string;
  blocks?: SlackBlock[];
  attachments?: JsonObject[];
}

/** A message as conversations.history / payloads show it, plus where it lives and how it got there. */
export interface StoredMessage extends MessageContent {
  type: "message";
  channel: string;
  ts: string;
  user: string;
  team: string;
  bot_id?: string;
  app_id?: string;
  thread_ts?: string;
  edited?: { user: string; ts: string };
  files?: SlackFile[];
  origin: MessageOrigin;
}

export interface StoredEphemeral extends MessageContent {
  channel: string;
  ts: string;
  /** The only user who sees it. */
  user: string;
  thread_ts?: string;
  origin: MessageOrigin;
}

export class ConversationStore {
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly ephemeralMessages: StoredEphemeral[] = [];

  post(message: StoredMessage): StoredMessage {
    const list = this.messages.get(message.channel) ?? [];
    list.push(structuredClone(message));
    this.messages.set(message.channel, list);
    return structuredClone(message);
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    const message = this.messages.get(channel)?.find((candidate) => candidate.ts === ts);
    return message && structuredClone(message);
  }

  replace(channel: string, ts: string, change: Partial<StoredMessage>): StoredMessage {
    const message = this.messages.get(channel)?.find((candidate) => candidate.ts === ts);
    if (!message) throw new Error(`no message ${channel}/${ts}`);
    Object.assign(message, structuredClone(change));
    for (const key of Object.keys(change) as (keyof StoredMessage)[]) if (change[key] === undefined) delete message[key];
    return structuredClone(message);
  }

  delete(channel: string, ts: string): boolean {
    const list = this.messages.get(channel) ?? [];
    const index = list.findIndex((candidate) => candidate.ts === ts);
    if (index >= 0) list.splice(index, 1);
    return index >= 0;
  }

  conversation(channel: string): StoredMessage[] {
    return structuredClone(this.messages.get(channel) ?? []);
  }

  channelsWithMessages(): string[] {
    return [...this.messages.keys()];
  }

  postEphemeral(message: StoredEphemeral): StoredEphemeral {
    this.ephemeralMessages.push(structuredClone(message));
    return structuredClone(message);
  }

  findEphemeral(channel: string, ts: string, userId?: string): StoredEphemeral | undefined {
    const message = this.ephemeralMessages.find((candidate) => candidate.channel === channel && candidate.ts === ts && (userId === undefined || candidate.user === userId));
    return message && structuredClone(message);
  }

  replaceEphemeral(channel: string, ts: string, content: MessageContent): StoredEphemeral {
    const message = this.ephemeralMessages.find((candidate) => candidate.channel === channel && candidate.ts === ts);
    if (!message) throw new Error(`no ephemeral ${channel}/${ts}`);
    message.text = content.text;
    if (content.blocks === undefined) delete message.blocks;
    else message.blocks = structuredClone(content.blocks);
    if (content.attachments === undefined) delete message.attachments;
    else message.attachments = structuredClone(content.attachments);
    return structuredClone(message);
  }

  deleteEphemeral(channel: string, ts: string): boolean {
    const index = this.ephemeralMessages.findIndex((candidate) => candidate.channel === channel && candidate.ts === ts);
    if (index >= 0) this.ephemeralMessages.splice(index, 1);
    return index >= 0;
  }

  ephemerals(filter: { channel?: string; user?: string } = {}): StoredEphemeral[] {
    return structuredClone(this.ephemeralMessages.filter((message) => (filter.channel === undefined || message.channel === filter.channel) && (filter.user === undefined || message.user === filter.user)));
  }

  clear(): void {
    this.messages.clear();
    this.ephemeralMessages.length = 0;
  }
}

/** The message object as Slack puts it in API responses and payloads (without stand-in bookkeeping). */
export function toSlackMessage(message: StoredMessage): JsonObject {
  const { channel: _channel, origin: _origin, ...slackMessage } = structuredClone(message);
  return slackMessage;
}
