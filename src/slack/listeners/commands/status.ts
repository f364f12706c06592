import { answerLookup } from "../../messages.js";
import { presentVmStatus } from "../../presenters/vm-status.js";
import { UsageError, askerOf, type Subcommand } from "./subcommand.js";

export const statusCommand: Subcommand = {
  name: "status",
  usage: "/vm status <vm>",
  summary: "Details of one VM: provider facts, recent changes, actions",
  examples: ["/vm status web-01"],
  async run({ deps, args, ctx, argv }) {
    if (argv.length !== 1) throw new UsageError("Name exactly one VM.");
    const message = await presentVmStatus(deps, ctx, { name: argv[0]! }, { audited: true });
    await answerLookup(args.client, askerOf(args), message);
  },
};
