// Applying the filter modal: a bad filter is shown on the field; a good one redraws the list (through the
// response_url of the click that opened the modal, for an ephemeral one) from page one.
import type { App } from "@slack/bolt";
import { z } from "zod";
import { ValidationError } from "../../../services/errors.js";
import { parseVmQuery } from "../../../services/vm-query.js";
import type { SlackDeps } from "../../deps.js";
import { INPUT, VIEW } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { lookupTargetSchema, ownLookupTarget } from "../../lookup-target.js";
import { answerLookup, redrawLookup } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";
import { checkListFilter } from "../../views/vm-list-state.js";

const metadataSchema = z.object({
  list: lookupTargetSchema,
  state: z.object({ sel: z.array(z.number()).default([]) }).passthrough(),
});

export function register(app: App, deps: SlackDeps): void {
  app.view(VIEW.vmFilter, async (args) => {
    const query = (args.view.state.values[INPUT.filterQuery.block]?.[INPUT.filterQuery.action]?.value ?? "").trim();
    try {
      checkListFilter(query);
      parseVmQuery(query);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await args.ack({ response_action: "errors", errors: { [INPUT.filterQuery.block]: error.message } });
      return;
    }
    await args.ack();
    await runInteraction(deps, args, "slack_modal", async (ctx) => {
      const { list, state } = metadataSchema.parse(JSON.parse(args.view.private_metadata));
      const rendered = await presentVmList(deps, ctx, { q: query, sel: state.sel }, { audited: true });
      const own = ownLookupTarget(list, ctx.actor.slackUserId);
      if (own) await redrawLookup(args.client, own, rendered);
      else await answerLookup(args.client, { user: ctx.actor.slackUserId }, rendered);
    });
  });
}
