// Saving the notification settings: each kind whose DM choice changed is stored (and audited) by the service.
import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { VIEW } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { tickedKinds } from "../../views/notifications.js";

export function register(app: App, deps: SlackDeps): void {
  app.view(VIEW.notificationSettings, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_modal", async (ctx) => {
      const ticked = tickedKinds(args.view.state.values as never);
      const { notifications } = deps.services;
      for (const preference of await notifications.preferences(ctx)) {
        const dm = ticked.has(preference.kind);
        if (dm !== preference.dm) await notifications.setPreference(ctx, preference.kind, dm);
      }
    });
  });
}
