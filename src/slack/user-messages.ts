// Turns any error into the one line a Slack user sees. Domain errors carry their own wording;
// anything else is logged in full and shown only as a reference the operator can grep for.
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.js";
import { DomainError, ForbiddenError } from "../services/errors.js";

export function userMessageFor(error: unknown, logger: Logger): string {
  if (error instanceof ForbiddenError) return `:no_entry: ${error.message}`;
  if (error instanceof DomainError) return `:warning: ${error.message}`;
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, "unexpected error in a Slack handler");
  return `:boom: Something went wrong on our side (reference \`${reference}\`). Try again, or tell an admin.`;
}
