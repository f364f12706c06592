import { renderWhoami } from "../../views/account.js";
import { answerLookup } from "../../messages.js";
import { askerOf, type Subcommand } from "./subcommand.js";

export const whoamiCommand: Subcommand = {
  name: "whoami",
  usage: "/vm whoami",
  summary: "Your role, your access to each environment, and what each lets you do",
  examples: ["/vm whoami"],
  async run({ deps, args, ctx }) {
    const me = await deps.services.users.whoami(ctx);
    await answerLookup(args.client, askerOf(args), renderWhoami(me));
  },
};
