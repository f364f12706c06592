// `/vm remove <vm>`: answers the admin (only) with a confirmation carrying the Remove button; the
// removal itself happens on the click (listeners/actions/remove-vm.ts).
import { renderRemoveConfirmation } from "../../views/vm-remove.js";
import { UsageError, type Subcommand } from "./subcommand.js";

export const removeCommand: Subcommand = {
  name: "remove",
  usage: "/vm remove <vm>",
  summary: "Global admins: remove a VM from the inventory (asks first; the cloud machine is not touched)",
  examples: ["/vm remove old-web-01"],
  async run({ deps, args, ctx, argv }) {
    if (argv.length !== 1) throw new UsageError("Name exactly one VM.");
    const vm = await deps.services.vms.previewRemoval(ctx, { name: argv[0]! });
    await args.respond({ response_type: "ephemeral", ...renderRemoveConfirmation(vm) });
  },
};
