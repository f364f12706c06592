// Ticking a VM's checkbox: the selection on this page becomes what is ticked, the rest is kept.
import type { App, BlockAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { checkedVmIdsOf, listStateOf, pageVmIdsOf } from "../../list-message.js";
import { messageRefOf, updateWorkMessage } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";
import { MAX_SELECTION } from "../../views/vm-list-state.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(ACTION.vmSelect, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", async (ctx) => {
      const state = listStateOf(args.body);
      const onPage = new Set(pageVmIdsOf(args.body));
      const selection = [...new Set([...state.sel.filter((id) => !onPage.has(id)), ...checkedVmIdsOf(args.body)])];
      const notice = selection.length > MAX_SELECTION ? `:warning: At most ${MAX_SELECTION} VMs can be selected at once.` : undefined;
      const message = await presentVmList(deps, ctx, { ...state, sel: selection.slice(0, MAX_SELECTION) }, { audited: false, notice });
      await updateWorkMessage(args.client, messageRefOf(args.body), message);
    });
  });
}
