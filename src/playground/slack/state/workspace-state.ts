// Everything the fake Slack remembers, and the state transitions shared by Web API methods,
// response_urls and the workspace simulator. Every transition emits a StandInChange.
import type { JsonObject, StateValue } from "../json-types.js";
import type { SlackIdFactory } from "../slack-ids.js";
import { normalizeBlocks } from "../blocks/normalize-blocks.js";
import { ConversationStore, type MessageContent, type MessageOrigin, type StoredEphemeral, type StoredMessage } from "./conversation-store.js";
import { FileStore, type SlackFile } from "./file-store.js";
import { InputStateStore } from "./input-state.js";
import { ResponseUrlRegistry } from "./response-url-registry.js";
import type { StandInChange } from "./state-change.js";
import { TriggerRegistry } from "./trigger-registry.js";
import { ChannelDirectory, UserDirectory } from "./user-directory.js";
import { ViewRegistry, type SlackView } from "./view-registry.js";
import type { WorkspaceIdentity } from "./workspace-identity.js";

export interface WorkspaceStateOptions {
  identity: WorkspaceIdentity;
  ids: SlackIdFactory;
  now: () => number;
  baseUrl: () => string;
  triggerTtlMs: number;
  responseUrlTtlMs: number;
  responseUrlMaxUses: number;
  emit: (change: StandInChange) => void;
}

export class WorkspaceState {
  readonly identity: WorkspaceIdentity;
  readonly ids: SlackIdFactory;
  readonly now: () => number;
  readonly users: UserDirectory;
  readonly channels: ChannelDirectory;
  readonly conversations = new ConversationStore();
  readonly inputs = new InputStateStore();
  readonly views: ViewRegistry;
  readonly files: FileStore;
  readonly triggers: TriggerRegistry;
  readonly responseUrls: ResponseUrlRegistry;
  readonly emit: (change: StandInChange) => void;
  /** The WebSocket URL apps.connections.open hands out (Socket Mode); unset, the call fails. Kept across clear(). */
  socketModeUrl: string | undefined;

  constructor(options: WorkspaceStateOptions) {
    this.identity = options.identity;
    this.ids = options.ids;
    this.now = options.now;
    this.emit = options.emit;
    this.users = new UserDirectory(options.ids, options.identity.teamId, options.now);
    this.channels = new ChannelDirectory(options.ids);
    this.views = new ViewRegistry(options.ids, options.identity, this.inputs);
    this.files = new FileStore(options.ids, options.now, { base: options.baseUrl, teamDomain: options.identity.teamDomain, teamId: options.identity.teamId });
    this.triggers = new TriggerRegistry(options.ids, options.now, options.triggerTtlMs);
    this.responseUrls = new ResponseUrlRegistry(options.ids, options.now, { ttlMs: options.responseUrlTtlMs, maxUses: options.responseUrlMaxUses });
  }

  resolveChannel(channel: string) {
    return this.channels.resolve(channel, (userId) => this.users.get(userId) !== undefined);
  }

  postBotMessage(channel: string, content: MessageContent, extra: { thread_ts?: string; files?: SlackFile[]; origin: MessageOrigin }): StoredMessage {
    const message = this.conversations.post({
      type: "message",
      channel,
      ts: this.ids.ts(),
      user: this.identity.botUserId,
      team: this.identity.teamId,
      bot_id: this.identity.botId,
      app_id: this.identity.appId,
      ...normalizedContent(content),
      ...(extra.thread_ts ? { thread_ts: extra.thread_ts } : {}),
      ...(extra.files ? { files: extra.files } : {}),
      origin: extra.origin,
    });
    this.emit({ kind: "message", action: "posted", channel, ts: message.ts });
    return message;
  }

  /** chat.update (marked edited) or a response_url replace_original (not marked). */
  replaceMessage(channel: string, ts: string, content: Partial<MessageContent>, markEdited: boolean): StoredMessage {
    const change: Partial<StoredMessage> = {};
    if (content.text !== undefined) change.text = content.text;
    if (content.blocks !== undefined) change.blocks = normalizeBlocks(content.blocks);
    if (content.attachments !== undefined) change.attachments = content.attachments;
    if (markEdited) change.edited = { user: this.identity.botUserId, ts: this.ids.ts() };
    const message = this.conversations.replace(channel, ts, change);
    this.inputs.forgetMessage(channel, ts);
    this.emit({ kind: "message", action: "updated", channel, ts });
    return message;
  }

  deleteMessage(channel: string, ts: string): void {
    this.conversations.delete(channel, ts);
    this.inputs.forgetMessage(channel, ts);
    this.emit({ kind: "message", action: "deleted", channel, ts });
  }

  postEphemeral(channel: string, userId: string, content: MessageContent, extra: { thread_ts?: string; origin: MessageOrigin }): StoredEphemeral {
    const message = this.conversations.postEphemeral({
      channel,
      ts: this.ids.ts(),
      user: userId,
      ...normalizedContent(content),
      ...(extra.thread_ts ? { thread_ts: extra.thread_ts } : {}),
      origin: extra.origin,
    });
    this.emit({ kind: "ephemeral", action: "posted", channel, ts: message.ts, user: userId });
    return message;
  }

  replaceEphemeral(channel: string, ts: string, content: MessageContent): StoredEphemeral {
    const message = this.conversations.replaceEphemeral(channel, ts, normalizedContent(content));
    this.inputs.forgetMessage(channel, ts);
    this.emit({ kind: "ephemeral", action: "replaced", channel, ts, user: message.user });
    return message;
  }

  deleteEphemeral(channel: string, ts: string, userId: string): void {
    this.conversations.deleteEphemeral(channel, ts);
    this.inputs.forgetMessage(channel, ts);
    this.emit({ kind: "ephemeral", action: "deleted", channel, ts, user: userId });
  }

  openModal(userId: string, view: JsonObject): SlackView {
    const opened = this.views.openModal(userId, view);
    this.emit({ kind: "view", action: "opened", user: userId, viewId: opened.id });
    return opened;
  }

  pushModal(userId: string, view: JsonObject): SlackView {
    const pushed = this.views.pushModal(userId, view);
    this.emit({ kind: "view", action: "pushed", user: userId, viewId: pushed.id });
    return pushed;
  }

  updateView(reference: { viewId?: string; externalId?: string }, view: JsonObject, hash?: string): SlackView {
    const updated = this.views.update(reference, view, hash);
    const location = this.views.find(updated.id);
    if (location?.surface === "home") this.emit({ kind: "home", action: "published", user: location.userId, viewId: updated.id });
    else this.emit({ kind: "view", action: "updated", user: location?.userId ?? "", viewId: updated.id });
    return updated;
  }

  publishHome(userId: string, view: JsonObject, hash?: string): SlackView {
    const published = this.views.publishHome(userId, view, hash);
    this.emit({ kind: "home", action: "published", user: userId, viewId: published.id });
    return published;
  }

  closeViews(userId: string, viewId: string, clear: boolean): string[] {
    const closed = this.views.close(userId, viewId, clear);
    for (const id of closed) this.emit({ kind: "view", action: "closed", user: userId, viewId: id });
    return closed;
  }

  enterInput(surfaceKey: string, userId: string, blockId: string, actionId: string, value: StateValue): void {
    this.inputs.set(surfaceKey, blockId, actionId, value);
    this.emit({ kind: "input", user: userId, surface: surfaceKey });
  }

  clear(): void {
    this.conversations.clear();
    this.inputs.clear();
    this.views.clear();
    this.files.clear();
    this.triggers.clear();
    this.responseUrls.clear();
  }
}

function normalizedContent(content: MessageContent): MessageContent {
  return {
    text: content.text,
    ...(content.blocks === undefined ? {} : { blocks: normalizeBlocks(content.blocks) }),
    ...(content.attachments === undefined ? {} : { attachments: structuredClone(content.attachments) }),
  };
}
