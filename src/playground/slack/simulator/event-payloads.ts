// Events API deliveries: the event_callback envelope around an event, and the url_verification challenge.
import type { JsonObject } from "../json-types.js";
import type { SlackIdFactory } from "../slack-ids.js";
import type { WorkspaceIdentity } from "../state/workspace-identity.js";

export function eventCallbackEnvelope(identity: WorkspaceIdentity, ids: SlackIdFactory, event: JsonObject): JsonObject {
  const eventTs = typeof event.event_ts === "string" ? event.event_ts : ids.ts();
  return {
    token: identity.verificationToken,
    team_id: identity.teamId,
    api_app_id: identity.appId,
    event: { ...event, event_ts: eventTs },
    type: "event_callback",
    event_id: ids.id("Ev"),
    event_time: Math.floor(Number(eventTs)),
    authorizations: [{ enterprise_id: null, team_id: identity.teamId, user_id: identity.botUserId, is_bot: true, is_enterprise_install: false }],
    // Deprecated by Slack in favour of authorizations, still sent, and required by the published envelope schema.
    authed_users: [identity.botUserId],
    is_ext_shared_channel: false,
  };
}

export function urlVerificationBody(identity: WorkspaceIdentity, challenge: string): JsonObject {
  return { token: identity.verificationToken, challenge, type: "url_verification" };
}
