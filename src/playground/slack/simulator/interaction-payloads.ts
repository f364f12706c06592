// The payloads Slack POSTs to the app, field for field as Slack documents them (and as @slack/bolt types them).
import type { JsonObject, StateValue, StateValues } from "../json-types.js";
import type { LocatedElement } from "../blocks/block-walk.js";
import { toSlackMessage } from "../state/conversation-store.js";
import type { SlackUserRecord } from "../state/user-directory.js";
import type { SlackView } from "../state/view-registry.js";
import type { WorkspaceIdentity } from "../state/workspace-identity.js";
import type { Surface } from "./surfaces.js";

export interface InteractionContext {
  identity: WorkspaceIdentity;
  user: SlackUserRecord;
}

function interactingUser({ identity, user }: InteractionContext): JsonObject {
  return { id: user.id, username: user.name, name: user.name, team_id: identity.teamId };
}

function commonFields(context: InteractionContext): JsonObject {
  const { identity } = context;
  return {
    user: interactingUser(context),
    api_app_id: identity.appId,
    token: identity.verificationToken,
    team: { id: identity.teamId, domain: identity.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
  };
}

/** Slash commands arrive form-encoded, one field per key (not a JSON payload). */
export function slashCommandFields(
  { identity, user }: InteractionContext,
  channel: { id: string; name: string },
  command: string,
  text: string,
  urls: { triggerId: string; responseUrl: string },
): Record<string, string> {
  return {
    token: identity.verificationToken,
    team_id: identity.teamId,
    team_domain: identity.teamDomain,
    channel_id: channel.id,
    channel_name: channel.name,
    user_id: user.id,
    user_name: user.name,
    command,
    text,
    api_app_id: identity.appId,
    is_enterprise_install: "false",
    response_url: urls.responseUrl,
    trigger_id: urls.triggerId,
  };
}

/** block_actions: the action, plus the whole surface (message or view) and its inputs' current state. */
export function blockActionsPayload(
  context: InteractionContext,
  surface: Surface,
  action: JsonObject,
  stateValues: StateValues,
  urls: { triggerId: string; responseUrl?: string },
): JsonObject {
  const payload: JsonObject = { type: "block_actions", ...commonFields(context), container: containerOf(surface), trigger_id: urls.triggerId };
  if (surface.kind === "view") {
    payload.view = surface.view;
  } else {
    payload.channel = { id: surface.channel.id, name: surface.channel.name };
    // Slack does not include the message itself when it is ephemeral.
    if (surface.kind === "message") payload.message = toSlackMessage(surface.message);
    payload.state = { values: stateValues };
    if (urls.responseUrl) payload.response_url = urls.responseUrl;
  }
  payload.actions = [action];
  return payload;
}

export function viewSubmissionPayload(context: InteractionContext, view: SlackView, triggerId: string, responseUrls: JsonObject[]): JsonObject {
  return { type: "view_submission", ...commonFields(context), trigger_id: triggerId, view, response_urls: responseUrls };
}

export function viewClosedPayload(context: InteractionContext, view: SlackView, isCleared: boolean): JsonObject {
  return { type: "view_closed", ...commonFields(context), view, is_cleared: isCleared };
}

/** block_suggestion: what the user typed into an external select, asking the app for options. */
export function blockSuggestionPayload(context: InteractionContext, surface: Surface, located: LocatedElement, typed: string): JsonObject {
  const payload: JsonObject = {
    type: "block_suggestion",
    ...commonFields(context),
    container: containerOf(surface),
    action_id: located.element.action_id,
    block_id: located.block.block_id,
    value: typed,
  };
  if (surface.kind === "view") payload.view = surface.view;
  else payload.channel = { id: surface.channel.id, name: surface.channel.name };
  return payload;
}

/** One entry of actions[]: the element's identity plus its value in that element type's own fields. */
export function elementAction(located: LocatedElement, value: StateValue | undefined, actionTs: string, extra: JsonObject = {}): JsonObject {
  const { block, element } = located;
  const action: JsonObject = { type: element.type, action_id: element.action_id, block_id: block.block_id, action_ts: actionTs };
  if (element.type === "button") {
    for (const key of ["text", "value", "style", "url"]) if (element[key] !== undefined) action[key] = structuredClone(element[key]);
  }
  if (value) {
    const { type: _type, ...fields } = value;
    Object.assign(action, fields);
  }
  return { ...action, ...extra };
}

function containerOf(surface: Surface): JsonObject {
  if (surface.kind === "view") return { type: "view", view_id: surface.view.id };
  const container: JsonObject = { type: "message", message_ts: surface.message.ts, channel_id: surface.channel.id, is_ephemeral: surface.kind === "ephemeral" };
  if (surface.message.thread_ts) container.thread_ts = surface.message.thread_ts;
  return container;
}
