// `/vm start|stop|reboot <vm...>`: the same batch action as the list's buttons, by name; its outcome
// is posted in the channel and shows the progress there.
import type { VmAction } from "../../../services/vm-actions.js";
import { announceOperation } from "../../operation-follower.js";
import { UsageError, type Subcommand } from "./subcommand.js";

function powerCommand(action: VmAction, summary: string): Subcommand {
  return {
    name: action,
    usage: `/vm ${action} <vm> [<vm>...]`,
    summary,
    examples: [`/vm ${action} web-01`, `/vm ${action} web-01 web-02 db-01`],
    async run({ deps, args, ctx, argv }) {
      if (!argv.length) throw new UsageError(`Name at least one VM.`);
      const request = await deps.services.vmActions.requestVmAction(ctx, action, { names: argv });
      await announceOperation(deps, args, ctx, request.operationId, args.command.channel_id);
    },
  };
}

export const startCommand = powerCommand("start", "Start VMs by name");
export const stopCommand = powerCommand("stop", "Stop VMs by name");
export const rebootCommand = powerCommand("reboot", "Reboot VMs by name");
