// The audit modal submitted: unusable filters are shown on their field; otherwise the modal is
// replaced at once (response_action "update", results loading) and filled in when the query returns.
import type { App, ViewSubmitAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { VIEW } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { readAuditModal, renderAuditModal } from "../../views/audit-modal.js";
import type { AuditState } from "../../views/audit-state.js";
import { fillAuditModal } from "../actions/open-audit-filters.js";

export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(VIEW.audit, async (args) => {
    const read = readAuditModal(args.view, new Date());
    if ("errors" in read) {
      await args.ack({ response_action: "errors", errors: read.errors });
      return;
    }
    const state: AuditState = { f: read.filters };
    await args.ack({ response_action: "update", view: renderAuditModal({ state, results: "loading", canExport: false }) });
    await runInteraction(deps, args, "slack_modal", (ctx) => fillAuditModal(deps, args.client, ctx, { id: args.view.id }, state));
  });
}
