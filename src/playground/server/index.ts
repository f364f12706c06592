// Every HTTP route of the playground, served by the bot's own Bolt receiver (same port as /slack/events).
import type { CustomRoute } from "@slack/bolt";
import type { PlaygroundPerson } from "../demo-workspace.js";
import type { SlackWebApiStandIn, WorkspaceSimulator } from "../slack/index.js";
import type { PlaygroundEventStream } from "./event-stream.js";
import { interactionRoutes } from "./interaction-routes.js";
import { pageRoutes } from "./page-routes.js";
import { sameOriginOnly } from "./same-origin-guard.js";

export { PlaygroundEventStream } from "./event-stream.js";
export type { PlaygroundSnapshot, ConversationSnapshot, TimelineItem, FileSnapshot } from "./state-snapshot.js";

export interface PlaygroundRouteDeps {
  standIn: SlackWebApiStandIn;
  workspace: WorkspaceSimulator;
  people: readonly PlaygroundPerson[];
  events: PlaygroundEventStream;
  /** The port the playground listens on: requests must name it (with a loopback host) to be served. */
  port: number;
}

export function playgroundRoutes(deps: PlaygroundRouteDeps): CustomRoute[] {
  return [...pageRoutes(deps), ...interactionRoutes(deps)].map(sameOriginOnly(deps.port));
}
