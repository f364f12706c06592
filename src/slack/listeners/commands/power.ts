// `/vm start|stop|reboot <vm...>`: the same batch action as the list's buttons, by name.
import type { VmAction } from "../../../services/vm-actions.js";
import { postWorkMessage } from "../../messages.js";
import { followOperation } from "../../operation-follower.js";
import { renderOperationMessage } from "../../views/operation-message.js";
import { UsageError, type Subcommand } from "./subcommand.js";
import { getProgressFor } from "../../../services/operation-service.js";

function powerCommand(action: VmAction, summary: string): Subcommand {
  return {
    name: action,
    usage: `/vm ${action} <vm> [<vm>...]`,
    summary,
    examples: [`/vm ${action} web-01`, `/vm ${action} web-01 web-02 db-01`],
    async run({ deps, args, ctx, argv }) {
      if (!argv.length) throw new UsageError(`Name at least one VM.`);
      const request = await deps.services.vmActions.requestVmAction(ctx, action, { names: argv });
      const progress = await getProgressFor(deps.services, ctx, request.operationId);
      const ref = await postWorkMessage(args.client, args.command.channel_id, ctx.actor.slackUserId, renderOperationMessage(progress, ctx.actor.slackUserId));
      followOperation(deps, args.client, request.operationId, ref, async (latest) => renderOperationMessage(latest, ctx.actor.slackUserId));
    },
  };
}

export const startCommand = powerCommand("start", "Start VMs by name");
export const stopCommand = powerCommand("stop", "Stop VMs by name");
export const rebootCommand = powerCommand("reboot", "Reboot VMs by name");
