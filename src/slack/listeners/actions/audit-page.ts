// Newer / Older on an audit message (redrawn in place, for the reader alone) or inside the audit modal (views.update).
// The button's value is the page to show, filters included.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { lookupTargetOf, redrawLookup } from "../../messages.js";
import { renderAuditMessage } from "../../views/audit.js";
import { auditFiltersOf, auditPageOptions, decodeAuditState } from "../../views/audit-state.js";
import { fillAuditModal } from "./open-audit-filters.js";

export function register(app: App, deps: SlackDeps): void {
  for (const action of [ACTION.auditPrevious, ACTION.auditNext]) {
    app.action<BlockAction<ButtonAction>>(action, async (args) => {
      await args.ack();
      await runInteraction(deps, args, "slack_button", async (ctx) => {
        const state = decodeAuditState(args.action.value);
        const modal = args.body.view;
        if (modal) return fillAuditModal(deps, args.client, ctx, { id: modal.id, hash: modal.hash }, state);
        const page = await deps.services.audit.query(ctx, auditFiltersOf(state.f), auditPageOptions(state));
        await redrawLookup(args.client, lookupTargetOf(args.body), renderAuditMessage({ state, page, canExport: await deps.services.audit.mayExport(ctx, auditFiltersOf(state.f)) }));
      });
    });
  }
}
