// Open modals (a stack of up to 3 views per user) and each user's App Home view.
import { isJsonObject, type JsonObject, type SlackBlock, type StateValues } from "../json-types.js";
import type { SlackIdFactory } from "../slack-ids.js";
import { SlackApiError } from "../api/slack-api-error.js";
import { blocksOf } from "../blocks/block-walk.js";
import { normalizeBlocks } from "../blocks/normalize-blocks.js";
import { viewSurfaceKey, type InputStateStore } from "./input-state.js";
import type { WorkspaceIdentity } from "./workspace-identity.js";

export const MAX_MODAL_STACK = 3;

export type ViewSurface = "modal" | "home";

/** Slack's view object, as views.* answer and interaction payloads carry it. */
export interface SlackView {
  id: string;
  team_id: string;
  type: string;
  title: JsonObject | null;
  blocks: SlackBlock[];
  close: JsonObject | null;
  submit: JsonObject | null;
  private_metadata: string;
  callback_id: string;
  state: { values: StateValues };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  external_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export interface ViewLocation {
  view: SlackView;
  userId: string;
  surface: ViewSurface;
}

export class ViewRegistry {
  private readonly views = new Map<string, { view: Omit<SlackView, "state">; userId: string; surface: ViewSurface }>();
  private readonly stacks = new Map<string, string[]>();
  private readonly homes = new Map<string, string>();

  constructor(
    private readonly ids: SlackIdFactory,
    private readonly identity: WorkspaceIdentity,
    private readonly inputs: InputStateStore,
  ) {}

  /** views.open: a new modal whose root is this view (a modal already open is replaced). */
  openModal(userId: string, input: JsonObject): SlackView {
    this.discardStack(userId);
    const view = this.create(userId, "modal", input, null, null);
    this.stacks.set(userId, [view.id]);
    return this.render(view.id);
  }

  /** views.push and response_action: push. */
  pushModal(userId: string, input: JsonObject): SlackView {
    const stack = this.stacks.get(userId) ?? [];
    const top = stack.at(-1);
    if (!top) throw new SlackApiError("not_found", ["views.push needs a modal already open for this user"]);
    if (stack.length >= MAX_MODAL_STACK) throw new SlackApiError("push_limit_reached");
    const view = this.create(userId, "modal", input, stack[0] ?? null, top);
    stack.push(view.id);
    return this.render(view.id);
  }

  /** views.update (by view_id or external_id) and response_action: update. Keeps id, gets a new hash. */
  update(reference: { viewId?: string; externalId?: string }, input: JsonObject, expectedHash?: string): SlackView {
    const entry = reference.viewId ? this.views.get(reference.viewId) : [...this.views.values()].find(({ view }) => reference.externalId && view.external_id === reference.externalId);
    if (!entry) throw new SlackApiError("not_found");
    if (expectedHash !== undefined && expectedHash !== "" && expectedHash !== entry.view.hash) throw new SlackApiError("hash_conflict");
    this.assertExternalIdFree(input, entry.view.id);
    entry.view = { ...this.describe(input, entry.surface), id: entry.view.id, root_view_id: entry.view.root_view_id, previous_view_id: entry.view.previous_view_id };
    return this.render(entry.view.id);
  }

  /** views.publish: the user's App Home. */
  publishHome(userId: string, input: JsonObject, expectedHash?: string): SlackView {
    const existingId = this.homes.get(userId);
    const existing = existingId ? this.views.get(existingId) : undefined;
    if (existing && expectedHash !== undefined && expectedHash !== "" && expectedHash !== existing.view.hash) throw new SlackApiError("hash_conflict");
    if (existing) return this.update({ viewId: existing.view.id }, input);
    const view = this.create(userId, "home", input, null, null);
    this.homes.set(userId, view.id);
    return this.render(view.id);
  }

  /** Closes the top view (or every view when `clear`), returning the ids that closed. */
  close(userId: string, viewId: string, clear: boolean): string[] {
    const stack = this.stacks.get(userId) ?? [];
    const index = stack.indexOf(viewId);
    if (index < 0) throw new Error(`view ${viewId} is not open for ${userId}`);
    const closed = clear ? stack.splice(0) : stack.splice(index);
    for (const id of closed) this.forgetView(id);
    if (stack.length === 0) this.stacks.delete(userId);
    return closed;
  }

  find(viewId: string): ViewLocation | undefined {
    const entry = this.views.get(viewId);
    return entry && { view: this.render(viewId), userId: entry.userId, surface: entry.surface };
  }

  modalStack(userId: string): SlackView[] {
    return (this.stacks.get(userId) ?? []).map((id) => this.render(id));
  }

  home(userId: string): SlackView | undefined {
    const id = this.homes.get(userId);
    return id ? this.render(id) : undefined;
  }

  usersWithViews(): string[] {
    return [...new Set([...this.stacks.keys(), ...this.homes.keys()])];
  }

  clear(): void {
    this.views.clear();
    this.stacks.clear();
    this.homes.clear();
  }

  private create(userId: string, surface: ViewSurface, input: JsonObject, rootId: string | null, previousId: string | null): SlackView {
    this.assertExternalIdFree(input, undefined);
    const id = this.ids.id("V");
    this.views.set(id, { view: { ...this.describe(input, surface), id, root_view_id: rootId ?? id, previous_view_id: previousId }, userId, surface });
    return this.render(id);
  }

  private describe(input: JsonObject, surface: ViewSurface): Omit<SlackView, "state" | "id" | "root_view_id" | "previous_view_id"> {
    return {
      team_id: this.identity.teamId,
      type: typeof input.type === "string" ? input.type : surface,
      title: isJsonObject(input.title) ? structuredClone(input.title) : null,
      blocks: normalizeBlocks(blocksOf(input.blocks)),
      close: isJsonObject(input.close) ? structuredClone(input.close) : null,
      submit: isJsonObject(input.submit) ? structuredClone(input.submit) : null,
      private_metadata: typeof input.private_metadata === "string" ? input.private_metadata : "",
      callback_id: typeof input.callback_id === "string" ? input.callback_id : "",
      hash: this.ids.viewHash(),
      clear_on_close: input.clear_on_close === true,
      notify_on_close: input.notify_on_close === true,
      app_id: this.identity.appId,
      external_id: typeof input.external_id === "string" ? input.external_id : "",
      app_installed_team_id: this.identity.teamId,
      bot_id: this.identity.botId,
    };
  }

  private render(viewId: string): SlackView {
    const entry = this.views.get(viewId);
    if (!entry) throw new SlackApiError("not_found");
    const view = structuredClone(entry.view);
    return { ...view, state: { values: this.inputs.valuesFor(viewSurfaceKey(viewId), view.blocks) } };
  }

  private assertExternalIdFree(input: JsonObject, ownId: string | undefined): void {
    const externalId = input.external_id;
    if (typeof externalId !== "string" || externalId === "") return;
    const clash = [...this.views.values()].some(({ view }) => view.external_id === externalId && view.id !== ownId);
    if (clash) throw new SlackApiError("duplicate_external_id");
  }

  private discardStack(userId: string): void {
    for (const id of this.stacks.get(userId) ?? []) this.forgetView(id);
    this.stacks.delete(userId);
  }

  private forgetView(viewId: string): void {
    this.views.delete(viewId);
    this.inputs.forget(viewSurfaceKey(viewId));
  }
}
