// The outcome of a batch action as the channel sees it: who did what to which VMs, with the progress
// (for a command like `/vm start web-1 web-2` and for the buttons of a list or a status card alike).
import type { OperationProgress } from "../../services/operation-service.js";
import { progressHeadline, renderOperationProgress } from "./operation-progress.js";
import type { SlackMessage } from "./vm-list.js";

export function renderOperationMessage(progress: OperationProgress, requestedBy: string): SlackMessage {
  return {
    text: `${progressHeadline(progress).replace(/\*/g, "")} (requested by <@${requestedBy}>)`,
    blocks: [
      ...renderOperationProgress(progress),
      { type: "context", elements: [{ type: "mrkdwn", text: `Requested by <@${requestedBy}>` }] },
    ],
  };
}
