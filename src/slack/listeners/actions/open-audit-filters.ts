// Filters… (audit message) opens the audit modal on the message's filters. The modal opens at once,
// while the trigger is fresh, and fills in its results when the query returns.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { RequestContext } from "../../../services/actor.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { userMessageFor } from "../../user-messages.js";
import { renderAuditModal, type AuditModalResults } from "../../views/audit-modal.js";
import { auditFiltersOf, auditPageOptions, decodeAuditState, type AuditState } from "../../views/audit-state.js";

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.auditOpenFilters, async (args) => {
    await args.ack();
    await runInteraction(deps, args, "slack_button", (ctx) => openAuditModal(deps, args.client, args.body.trigger_id, ctx, decodeAuditState(args.action.value)));
  });
}

/** Also the App Home's "Audit log" shortcut. */
export async function openAuditModal(deps: SlackDeps, client: WebClient, triggerId: string, ctx: RequestContext, state: AuditState): Promise<void> {
  const opened = await client.views.open({ trigger_id: triggerId, view: renderAuditModal({ state, results: "loading", canExport: false }) });
  await fillAuditModal(deps, client, ctx, { id: opened.view!.id!, hash: opened.view?.hash }, state);
}

/**
 * Replaces a modal showing "Loading…" with the results, or with why there are none: the user is
 * looking at the modal, so that is where a refusal or failure belongs.
 */
export async function fillAuditModal(deps: SlackDeps, client: WebClient, ctx: RequestContext, modal: { id: string; hash?: string }, state: AuditState): Promise<void> {
  const results: AuditModalResults = await deps.services.audit
    .query(ctx, auditFiltersOf(state.f), auditPageOptions(state))
    .catch((error: unknown) => ({ problem: userMessageFor(error, deps.logger) }));
  const view = renderAuditModal({ state, results, canExport: await deps.services.audit.mayExport(ctx, auditFiltersOf(state.f)) });
  try {
    // With the hash, Slack refuses this update if the user applied other filters meanwhile.
    await client.views.update({ view_id: modal.id, ...(modal.hash ? { hash: modal.hash } : {}), view });
  } catch (error) {
    if ((error as { data?: { error?: string } }).data?.error !== "hash_conflict") throw error;
  }
}
