// The App Home, drawn afresh for its reader (on opening the tab, and after a click that changes what it shows,
// e.g. a notification marked read): who they are and what they may do where, their notifications, recent
// actions, the VMs they worked on, the environments they may open with Start/Stop where the policy allows,
// their locks and queue places.
import type { HomeView } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { RequestContext } from "../../services/actor.js";
import { permissionsOf } from "../../services/policy.js";
import type { SlackDeps } from "../deps.js";
import { HOME_LIST_LIMIT, HOME_NOTIFICATION_LIMIT, renderHome } from "../views/home.js";

export async function presentHome(deps: SlackDeps, ctx: RequestContext): Promise<HomeView> {
  const { users, audit, vms, environments, locks, notifications } = deps.services;
  const me = await users.whoami(ctx, { audited: false });
  const recent = await audit.recentForUser(ctx, HOME_LIST_LIMIT);
  const worked = await vms.recentlyActedOn(ctx, HOME_LIST_LIMIT);
  // Already only those the user may open; what they may do in each is asked per environment.
  const visible = await environments.listEnvironments(ctx);
  const withPermissions = visible.map((environment) => ({ ...environment, permissions: permissionsOf(me.actor, { environmentId: environment.id }) }));
  return renderHome({
    me,
    recent,
    vms: worked,
    environments: withPermissions,
    locks: await locks.mine(ctx),
    notifications: await notifications.list(ctx, { limit: HOME_NOTIFICATION_LIMIT }),
  });
}

export async function publishHome(deps: SlackDeps, client: WebClient, ctx: RequestContext): Promise<void> {
  await client.views.publish({ user_id: ctx.actor.slackUserId, view: await presentHome(deps, ctx) });
}
