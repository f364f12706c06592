// What every listener receives from the composition root.
import type { Logger } from "../logger.js";
import type { Services } from "../services/index.js";
import type { BackgroundTasks } from "./background.js";

export interface SlackDeps {
  services: Services;
  logger: Logger;
  /** Least time between two in-place progress updates of one message (Slack rate-limits chat.update). */
  progressIntervalMs: number;
  background: BackgroundTasks;
}
