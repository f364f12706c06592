// A Web API method implementation: parsed args in, Slack's response body out (or SlackApiError thrown).
import type { JsonObject } from "../json-types.js";
import type { WorkspaceState } from "../state/workspace-state.js";

export interface MethodCall {
  args: JsonObject;
  state: WorkspaceState;
}

export type MethodHandler = (call: MethodCall) => JsonObject;

export type MethodTable = Readonly<Record<string, MethodHandler>>;
