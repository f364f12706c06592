// "Request access to <env>" on an environment the user cannot open (value = environment name): the request modal.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { renderAccessRequestModal } from "../../views/access.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.envRequestAccess, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async () => {
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: renderAccessRequestModal(args.action.value ?? "") });
    });
  });
}
