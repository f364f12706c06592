import { renderWhoami } from "../../views/account.js";
import type { Subcommand } from "./subcommand.js";

export const whoamiCommand: Subcommand = {
  name: "whoami",
  usage: "/vm whoami",
  summary: "Your role and what it lets you do",
  examples: ["/vm whoami"],
  async run({ deps, args, ctx }) {
    const me = await deps.services.users.whoami(ctx);
    await args.respond({ response_type: "ephemeral", ...renderWhoami(me) });
  },
};
