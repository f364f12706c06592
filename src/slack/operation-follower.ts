// After a batch action is accepted: follow it in the background and keep one message up to date
// until every VM has reached its target state or failed.
import type { WebClient } from "@slack/web-api";
import type { OperationProgress } from "../services/operation-service.js";
import { throttled } from "./background.js";
import type { SlackDeps } from "./deps.js";
import { updateWorkMessage, type MessageRef } from "./messages.js";
import type { SlackMessage } from "./views/vm-list.js";

export function followOperation(
  deps: SlackDeps,
  client: WebClient,
  operationId: number,
  target: MessageRef,
  render: (progress: OperationProgress) => Promise<SlackMessage>,
): void {
  deps.background.run(`operation ${operationId}`, async () => {
    let lastHeadline = "";
    const updates = throttled<OperationProgress>(deps.progressIntervalMs, async (progress) => {
      await updateWorkMessage(client, target, await render(progress)).catch((error) =>
        deps.logger.warn({ err: error, operationId }, "could not update the progress message"),
      );
    });
    const final = await deps.services.vmActions.trackOperation(operationId, {
      onProgress: async (progress) => {
        const headline = `${progress.atTarget}/${progress.failed}/${progress.vms.map((vm) => vm.vmStatus).join()}`;
        if (headline === lastHeadline) return; // nothing visible changed
        lastHeadline = headline;
        await updates.push(progress);
      },
    });
    await updates.push(final);
    await updates.flush();
  });
}
