// After an environment run is requested (or retried): run it in the background and keep one message up
// to date, one chat.update per visible change and never more often than progressIntervalMs.
import type { WebClient } from "@slack/web-api";
import type { EnvironmentProgress } from "../services/environments/execution-model.js";
import { throttled } from "./background.js";
import type { SlackDeps } from "./deps.js";
import { updateWorkMessage, type MessageRef } from "./messages.js";
import { renderEnvironmentProgress } from "./views/environments.js";

/** What a reader would see change: each step's state and what it waits for. */
function visibleState(progress: EnvironmentProgress): string {
  return `${progress.status}|${progress.steps.map((step) => `${step.state}:${step.waitingFor ?? ""}:${step.message ?? ""}`).join("|")}`;
}

export function followEnvironmentRun(deps: SlackDeps, client: WebClient, operationId: number, target: MessageRef, requestedBy: string): void {
  deps.background.run(`environment run ${operationId}`, async () => {
    let last = "";
    const updates = throttled<EnvironmentProgress>(deps.progressIntervalMs, async (progress) => {
      await updateWorkMessage(client, target, renderEnvironmentProgress(progress, requestedBy)).catch((error) =>
        deps.logger.warn({ err: error, operationId }, "could not update the environment progress message"),
      );
    });
    const push = async (progress: EnvironmentProgress) => {
      const state = visibleState(progress);
      if (state === last) return;
      last = state;
      await updates.push(progress);
    };
    const final = await deps.services.environments.runExecution(operationId, { onProgress: push });
    await push(final);
    await updates.flush();
  });
}
