import { parseVmQuery } from "../../../services/vm-query.js";
import { answerLookup } from "../../messages.js";
import { presentVmList } from "../../presenters/vm-list.js";
import { checkListFilter } from "../../views/vm-list-state.js";
import { askerOf, type Subcommand } from "./subcommand.js";

export const listCommand: Subcommand = {
  name: "list",
  usage: "/vm list [filters]",
  summary: "List VMs, select some and start, stop or reboot them",
  examples: ["/vm list", "/vm list status:running provider:aws", "/vm list tag:team=backend env:demo name~db"],
  async run({ deps, args, ctx, rest }) {
    checkListFilter(rest);
    parseVmQuery(rest); // a bad filter is answered before anything is shown
    const message = await presentVmList(deps, ctx, { q: rest.trim(), sel: [] }, { audited: true });
    await answerLookup(args.client, askerOf(args), message);
  },
};
