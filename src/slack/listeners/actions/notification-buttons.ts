// Mark read / Dismiss on one notification, and Mark all read: from App Home (the Home is republished) or
// from `/vm notifications` (the list is redrawn in place). The service only touches the reader's own.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { redrawNotifications } from "../../presenters/notifications.js";
import { parseNotificationButtonValue } from "../../views/notifications.js";

/** One notification's buttons: the service call each makes on the reader's own notification. */
const ONE: [string, "markRead" | "dismiss"][] = [
  [ACTION.notificationRead, "markRead"],
  [ACTION.notificationDismiss, "dismiss"],
];

export function register(app: App, deps: SlackDeps): void {
  for (const [actionId, change] of ONE) {
    app.action<BlockAction<ButtonAction>>(actionId, async (args) => {
      await args.ack();
      await runInteraction(deps, args, sourceOf(args.body), async (ctx) => {
        const { id, scope } = parseNotificationButtonValue(args.action.value ?? "");
        await deps.services.notifications[change](ctx, id);
        await redrawNotifications(deps, args.client, ctx, args.body, scope);
      });
    });
  }

  app.action<BlockAction<ButtonAction>>(ACTION.notificationReadAll, async (args) => {
    await args.ack();
    await runInteraction(deps, args, sourceOf(args.body), async (ctx) => {
      const { scope } = parseNotificationButtonValue(`1:${args.action.value ?? ""}`);
      await deps.services.notifications.markRead(ctx, "all");
      await redrawNotifications(deps, args.client, ctx, args.body, scope);
    });
  });
}

function sourceOf(body: BlockAction): "slack_home" | "slack_button" {
  return body.container?.type === "view" ? "slack_home" : "slack_button";
}
