// The one path every Slack request takes after its ack: drop Slack's retries of a delivery already
// handled, resolve the acting user (registering them and opening a session as needed), run the
// work, and turn any error into an ephemeral reply. Listeners stay a few lines each.
import type { WebClient } from "@slack/web-api";
import type { RespondFn } from "@slack/bolt";
import type { RequestContext } from "../services/actor.js";
import type { AuditSource } from "../services/audit-actions.js";
import type { SlackDeps } from "./deps.js";
import { replyEphemeral } from "./replies.js";
import { userMessageFor } from "./user-messages.js";

/** The parts of any Slack payload this layer reads. */
export interface SlackBody {
  type?: string;
  team_id?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  trigger_id?: string;
  response_url?: string;
  event_id?: string;
  team?: { id?: string } | null;
  user?: { id?: string; team_id?: string; username?: string; name?: string } | string;
  channel?: { id?: string };
  container?: { channel_id?: string; message_ts?: string; view_id?: string };
  event?: { user?: string };
  view?: { id?: string; hash?: string };
}

export interface InteractionArgs {
  body: unknown;
  client: WebClient;
  respond?: RespondFn;
}

export function identityOf(body: SlackBody): { teamId: string; slackUserId: string; userName?: string } {
  const user = typeof body.user === "object" ? body.user : undefined;
  const slackUserId = user?.id ?? body.user_id ?? body.event?.user ?? (typeof body.user === "string" ? body.user : undefined);
  const teamId = user?.team_id ?? body.team?.id ?? body.team_id;
  if (!slackUserId || !teamId) throw new Error("Slack payload without a user or team");
  return { teamId, slackUserId, userName: user?.username ?? user?.name ?? body.user_name };
}

/** A key unique to one delivery and shared by its retries. */
export function deliveryKey(body: SlackBody): string | undefined {
  if (body.event_id) return `event:${body.event_id}`;
  if (body.trigger_id) return `trigger:${body.trigger_id}`;
  if (body.view?.id && body.view.hash) return `view:${body.view.id}:${body.view.hash}`;
  return undefined;
}

export function channelOf(body: SlackBody): string | undefined {
  return body.channel_id ?? body.channel?.id ?? body.container?.channel_id;
}

/**
 * Runs `work` as the acting user. Returns false when the delivery was a retry of one already handled.
 */
export function runInteraction(
  deps: SlackDeps,
  args: InteractionArgs,
  source: AuditSource,
  work: (ctx: RequestContext) => Promise<void>,
): Promise<boolean> {
  return deps.background.track(handle(deps, args, source, work));
}

async function handle(deps: SlackDeps, args: InteractionArgs, source: AuditSource, work: (ctx: RequestContext) => Promise<void>): Promise<boolean> {
  const body = args.body as SlackBody;
  const key = deliveryKey(body);
  try {
    // Inside the try: a database that cannot record the delivery is an answer to the user, not silence.
    if (key && !(await deps.services.deliveries.claim(key))) {
      deps.logger.info({ key }, "ignored a retried Slack delivery already handled");
      return false;
    }
    const ctx = { actor: await resolveActor(deps, args.client, body, source), source };
    await work(ctx);
  } catch (error) {
    await replyEphemeral(args, userMessageFor(error, deps.logger)).catch((replyError) =>
      deps.logger.error({ err: replyError }, "could not tell the user about an error"),
    );
  }
  return true;
}

async function resolveActor(deps: SlackDeps, client: WebClient, body: SlackBody, source: AuditSource) {
  const identity = identityOf(body);
  const actor = await deps.services.users.resolveActor(identity, source);
  if (actor.displayName) return actor;
  // First sight: learn the user's name and email once (users:read, users:read.email).
  const profile = await client.users.info({ user: identity.slackUserId }).catch(() => undefined);
  const displayName = profile?.user?.profile?.display_name || profile?.user?.real_name || identity.userName || null;
  const email = profile?.user?.profile?.email ?? null;
  if (!displayName && !email) return actor;
  await deps.services.users.updateProfile(actor.userId, { displayName, email });
  return { ...actor, displayName };
}
