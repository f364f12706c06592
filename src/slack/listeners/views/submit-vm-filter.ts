// Applying the filter modal: a bad filter is shown on the field; a good one re-renders the list from page one.
import type { App } from "@slack/bolt";
import { z } from "zod";
import { ValidationError } from "../../../services/errors.js";
import { parseVmQuery } from "../../../services/vm-query.js";
import type { SlackDeps } from "../../deps.js";
import { INPUT, VIEW } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { updateWorkMessage } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";

const metadataSchema = z.object({
  message: z.object({ channel: z.string(), ts: z.string() }),
  state: z.object({ sel: z.array(z.number()).default([]) }).passthrough(),
});

export function register(app: App, deps: SlackDeps): void {
  app.view(VIEW.vmFilter, async (args) => {
    const query = (args.view.state.values[INPUT.filterQuery.block]?.[INPUT.filterQuery.action]?.value ?? "").trim();
    try {
      parseVmQuery(query);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await args.ack({ response_action: "errors", errors: { [INPUT.filterQuery.block]: error.message } });
      return;
    }
    await args.ack();
    await runInteraction(deps, args, "slack_modal", async (ctx) => {
      const { message, state } = metadataSchema.parse(JSON.parse(args.view.private_metadata));
      const rendered = await presentVmList(deps, ctx, { q: query, sel: state.sel }, { audited: true });
      await updateWorkMessage(args.client, message, rendered);
    });
  });
}
