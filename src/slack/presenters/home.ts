// The App Home, drawn afresh for its reader: on opening the tab, and after a click that changes what it shows
// (a notification marked read or dismissed).
import type { WebClient } from "@slack/web-api";
import type { RequestContext } from "../../services/actor.js";
import type { SlackDeps } from "../deps.js";
import { HOME_LIST_LIMIT, HOME_NOTIFICATION_LIMIT, renderHome } from "../views/home.js";

export async function publishHome(deps: SlackDeps, client: WebClient, ctx: RequestContext): Promise<void> {
  const me = await deps.services.users.whoami(ctx, { audited: false });
  const recent = await deps.services.audit.recentForUser(ctx, HOME_LIST_LIMIT);
  const vms = await deps.services.vms.recentlyActedOn(ctx, HOME_LIST_LIMIT);
  const environments = me.permissions.includes("vm_view") ? await deps.services.environments.listEnvironments(ctx) : [];
  const notifications = await deps.services.notifications.list(ctx, { limit: HOME_NOTIFICATION_LIMIT });
  await client.views.publish({ user_id: ctx.actor.slackUserId, view: renderHome({ me, recent, vms, environments, notifications }) });
}
