// What Slack does with the app's answer to a view_submission: an empty ack closes the submitted view;
// response_action errors | update | push | clear show field errors, replace, stack or close everything.
import { isJsonObject } from "../json-types.js";
import { blocksOf } from "../blocks/block-walk.js";
import { viewProblems } from "../blocks/view-validation.js";
import type { SlackView } from "../state/view-registry.js";
import type { WorkspaceState } from "../state/workspace-state.js";

export type ViewResponseAction = "close" | "errors" | "update" | "push" | "clear" | "invalid";

export interface ViewSubmissionOutcome {
  responseAction: ViewResponseAction;
  /** response_action: errors — block_id -> message shown under that input. */
  errors?: Record<string, string>;
  /** What Slack would reject in the ack (the user would see a generic error). */
  problems: string[];
  /** The view now on top of the user's modal, if any. */
  topView: SlackView | undefined;
}

export function applyViewSubmissionAck(state: WorkspaceState, userId: string, submitted: SlackView, ack: unknown): ViewSubmissionOutcome {
  const outcome = (responseAction: ViewResponseAction, problems: string[] = [], errors?: Record<string, string>): ViewSubmissionOutcome => ({
    responseAction,
    problems,
    ...(errors ? { errors } : {}),
    topView: state.views.modalStack(userId).at(-1),
  });

  if (ack === "" || ack === undefined) {
    state.closeViews(userId, submitted.id, false);
    return outcome("close");
  }
  if (!isJsonObject(ack) || typeof ack.response_action !== "string") return outcome("invalid", [`ack body is not a response_action object: ${JSON.stringify(ack)}`]);

  switch (ack.response_action) {
    case "errors": {
      const errors = isJsonObject(ack.errors) ? (ack.errors as Record<string, string>) : {};
      const inputBlockIds = new Set(blocksOf(submitted.blocks).filter((block) => block.type === "input").map((block) => block.block_id));
      const problems = Object.keys(errors).filter((blockId) => !inputBlockIds.has(blockId)).map((blockId) => `errors names "${blockId}", which is not an input block of the view`);
      if (Object.keys(errors).length === 0) problems.push("response_action errors without any errors");
      return outcome("errors", problems, errors);
    }
    case "update": {
      const problems = viewProblems(ack.view, "modal");
      if (problems.length === 0 && isJsonObject(ack.view)) state.updateView({ viewId: submitted.id }, ack.view);
      return outcome("update", problems);
    }
    case "push": {
      const problems = viewProblems(ack.view, "modal");
      if (problems.length === 0 && isJsonObject(ack.view)) {
        try {
          state.pushModal(userId, ack.view);
        } catch (error) {
          problems.push(error instanceof Error ? error.message : String(error));
        }
      }
      return outcome("push", problems);
    }
    case "clear":
      state.closeViews(userId, submitted.id, true);
      return outcome("clear");
    default:
      return outcome("invalid", [`unknown response_action "${ack.response_action}"`]);
  }
}
