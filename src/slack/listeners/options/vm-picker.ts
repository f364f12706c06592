// Typeahead options for the list's VM picker, answered from the database (Slack takes at most 100).
import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { PROVIDER_LABEL } from "../../views/format.js";
import { LIMITS } from "../../views/limits.js";
import { vmOption } from "../../views/vm-list.js";

export function register(app: App, deps: SlackDeps): void {
  app.options(ACTION.vmPick, async ({ ack, payload }) => {
    const vms = await deps.services.vms.searchVms(payload.value ?? "", LIMITS.externalSelectOptions);
    await ack({
      options: vms.map((vm) =>
        vmOption(vm, `${vm.status} · ${PROVIDER_LABEL[vm.provider] ?? vm.provider} ${vm.region}${vm.environment ? ` · ${vm.environment}` : ""}`),
      ),
    });
  });
}
