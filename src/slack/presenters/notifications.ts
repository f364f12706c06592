// The reader's notifications as a list (`/vm notifications [all]`), and the redraw after a click on one of
// its buttons: the App Home republished, or the ephemeral list redrawn in place.
import type { WebClient } from "@slack/web-api";
import type { RequestContext } from "../../services/actor.js";
import type { SlackDeps } from "../deps.js";
import { lookupTargetOf, redrawLookup, type ActionBody } from "../messages.js";
import { NOTIFICATION_LIST_LIMIT, renderNotificationList, type NotificationListScope } from "../views/notifications.js";
import type { SlackMessage } from "../views/vm-list.js";
import { publishHome } from "./home.js";

export async function presentNotificationList(deps: SlackDeps, ctx: RequestContext, scope: "unread" | "all"): Promise<SlackMessage> {
  const list = await deps.services.notifications.list(ctx, { unread: scope === "unread", limit: NOTIFICATION_LIST_LIMIT });
  return renderNotificationList(list, scope);
}

/** Shows the change where the click came from. */
export async function redrawNotifications(deps: SlackDeps, client: WebClient, ctx: RequestContext, body: ActionBody, scope: NotificationListScope): Promise<void> {
  if (scope === "home") return publishHome(deps, client, ctx);
  await redrawLookup(client, lookupTargetOf(body), await presentNotificationList(deps, ctx, scope));
}
