// "Request access to <env>" on an environment the user cannot open (a button, or a menu of several; value =
// environment name): the request modal.
import type { App, BlockAction, ButtonAction, StaticSelectAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { renderAccessRequestModal } from "../../views/access.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction | StaticSelectAction>>(ACTION.envRequestAccess, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async () => {
      const environment = args.action.type === "button" ? args.action.value : args.action.selected_option.value;
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: renderAccessRequestModal(environment ?? "") });
    });
  });
}
