// "Filter…" opens a modal with the filter box; the list it belongs to (how to redraw it) rides in private_metadata.
import type { App, BlockAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { listStateOf } from "../../list-message.js";
import { lookupTargetOf } from "../../messages.js";
import { renderVmFilterModal } from "../../views/vm-filter-modal.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(ACTION.openFilter, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async () => {
      const view = renderVmFilterModal(listStateOf(args.body), lookupTargetOf(args.body));
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    });
  });
}
