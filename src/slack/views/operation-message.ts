// A standalone progress message for actions typed as commands (`/vm start web-1 web-2`).
import type { OperationProgress } from "../../services/operation-service.js";
import { progressHeadline, renderOperationProgress } from "./operation-progress.js";
import type { SlackMessage } from "./vm-list.js";

export function renderOperationMessage(progress: OperationProgress, requestedBy: string): SlackMessage {
  return {
    text: progressHeadline(progress).replace(/\*/g, ""),
    blocks: [
      ...renderOperationProgress(progress),
      { type: "context", elements: [{ type: "mrkdwn", text: `Requested by <@${requestedBy}>` }] },
    ],
  };
}
