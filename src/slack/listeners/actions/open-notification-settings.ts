// "Notification settings" (App Home or `/vm notifications`): a modal with one checkbox per kind, ticked when
// it comes by DM.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { renderNotificationSettingsModal } from "../../views/notifications.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.notificationPreference, async (args) => {
    await args.ack();
    await runInteraction(deps, args, args.body.container?.type === "view" ? "slack_home" : "slack_button", async (ctx) => {
      const preferences = await deps.services.notifications.preferences(ctx);
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: renderNotificationSettingsModal(preferences) });
    });
  });
}
