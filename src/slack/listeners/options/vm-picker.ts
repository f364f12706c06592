// Typeahead options for the list's VM picker, answered from the database (Slack takes at most 100).
// The reader is resolved and asked like any other: a refused or deactivated user gets no options.
import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { identityOf, type SlackBody } from "../../interaction.js";
import { DomainError } from "../../../services/errors.js";
import { PROVIDER_LABEL } from "../../views/format.js";
import { LIMITS } from "../../views/limits.js";
import { vmOption } from "../../views/vm-list.js";

export function register(app: App, deps: SlackDeps): void {
  app.options(ACTION.vmPick, async ({ ack, body, payload }) => {
    try {
      const source = (body as { container?: { type?: string } }).container?.type === "view" ? "slack_modal" : "slack_button";
      const actor = await deps.services.users.resolveActor(identityOf(body as SlackBody), source);
      const vms = await deps.services.vms.searchVms({ actor, source }, payload.value ?? "", LIMITS.externalSelectOptions);
      await ack({
        options: vms.map((vm) =>
          vmOption(vm, `${vm.status} · ${PROVIDER_LABEL[vm.provider] ?? vm.provider} ${vm.region}${vm.environment ? ` · ${vm.environment}` : ""}`),
        ),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) deps.logger.error({ err: error }, "VM typeahead failed");
      await ack({ options: [] });
    }
  });
}
