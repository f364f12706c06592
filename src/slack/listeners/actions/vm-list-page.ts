// Previous / Next / Refresh: a fresh look at the inventory (audited as a view).
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { listStateOf } from "../../list-message.js";
import { lookupTargetOf, redrawLookup } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";
import type { VmListState } from "../../views/vm-list-state.js";

export function register(app: App, deps: SlackDeps): void {
  const handler = (move: (state: VmListState) => VmListState) =>
    async (args: Parameters<Parameters<typeof app.action<BlockAction<ButtonAction>>>[1]>[0]) => {
      await args.ack();
      await runInteraction(deps, args, "slack_button", async (ctx) => {
        const message = await presentVmList(deps, ctx, move(listStateOf(args.body)), { audited: true });
        await redrawLookup(args.client, lookupTargetOf(args.body), message);
      });
    };

  app.action<BlockAction<ButtonAction>>(ACTION.pageNext, handler((state) => ({ ...state, after: state.last, before: undefined })));
  app.action<BlockAction<ButtonAction>>(ACTION.pagePrevious, handler((state) => ({ ...state, before: state.first, after: undefined })));
  app.action<BlockAction<ButtonAction>>(ACTION.refresh, handler((state) => state));
}
