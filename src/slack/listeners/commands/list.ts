import { parseVmQuery } from "../../../services/vm-query.js";
import { postWorkMessage } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";
import type { Subcommand } from "./subcommand.js";

export const listCommand: Subcommand = {
  name: "list",
  usage: "/vm list [filters]",
  summary: "List VMs, select some and start, stop or reboot them",
  examples: ["/vm list", "/vm list status:running provider:aws", "/vm list tag:team=backend env:demo name~db"],
  async run({ deps, args, ctx, rest }) {
    parseVmQuery(rest); // a bad filter is answered before anything is posted
    const message = await presentVmList(deps, ctx, { q: rest.trim(), sel: [] }, { audited: true });
    const posted = await postWorkMessage(args.client, args.command.channel_id, ctx.actor.slackUserId, message);
    if (posted.movedToDm) await args.respond({ response_type: "ephemeral", text: "I can't post here, so I sent the list to our DM." });
  },
};
