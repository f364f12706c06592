// Bolt logs through pino like the rest of the bot.
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../logger.js";

export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: "bolt" });
  let level = LogLevel.INFO;
  return {
    debug: (...messages) => child.debug(messages.map(String).join(" ")),
    info: (...messages) => child.info(messages.map(String).join(" ")),
    warn: (...messages) => child.warn(messages.map(String).join(" ")),
    error: (...messages) => child.error(messages.map(String).join(" ")),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
