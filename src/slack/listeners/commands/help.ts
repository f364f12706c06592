import { renderHelp } from "../../views/help.js";
import { answerLookup } from "../../messages.js";
import { askerOf, type Subcommand } from "./subcommand.js";

/** Built from the router's table, so help never drifts from what the router accepts. */
export function helpCommand(all: () => Subcommand[]): Subcommand {
  return {
    name: "help",
    usage: "/vm help",
    summary: "This list",
    examples: ["/vm help"],
    async run({ args }) {
      await answerLookup(args.client, askerOf(args), renderHelp(all()));
    },
  };
}
