// Every listener, by kind. Each folder's index.ts registers its listeners, one file per listener.
import type { App } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import * as actions from "./actions/index.js";
import * as commands from "./commands/vm-command.js";
import * as events from "./events/index.js";
import * as options from "./options/index.js";
import { routingFixedIds } from "./router.js";
import * as views from "./views/index.js";

export function registerListeners(app: App, deps: SlackDeps): void {
  const routed = routingFixedIds(app);
  for (const kind of [commands, actions, views, options, events]) kind.register(routed, deps);
}
