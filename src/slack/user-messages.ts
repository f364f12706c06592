// Turns any error into the one line a Slack user sees. Domain errors carry their own wording;
// anything else is logged in full and shown only as a reference the operator can grep for.
import { randomUUID } from "node:crypto";
import { isDatabaseUnavailable } from "../db/database-errors.js";
import type { Logger } from "../logger.js";
import { AccessRequestDecidedError } from "../services/access/access-service.js";
import { DomainError, ForbiddenError, VmBusyError } from "../services/errors.js";
import { EnvironmentLockedError } from "../services/locks/lock-model.js";
import { describeClaimAction, type BusyVm } from "../services/vm-claims.js";
import { escapeMrkdwn, slackDate } from "./views/limits.js";
import { describeLockForSlack } from "./views/locks.js";

export function userMessageFor(error: unknown, logger: Logger): string {
  if (error instanceof ForbiddenError) return `:no_entry: ${error.message}`;
  if (error instanceof AccessRequestDecidedError) return `:information_source: ${describeDecidedForSlack(error)}`;
  if (error instanceof EnvironmentLockedError) {
    const meanwhile = error.refused === "change" ? " Only the holder and the environment's admins may change its VMs meanwhile." : "";
    return `:lock: ${describeLockForSlack(error.lock)}.${meanwhile}`;
  }
  if (error instanceof VmBusyError) return `:hourglass_flowing_sand: ${error.busy.map(describeBusyForSlack).join("\n")}`;
  if (error instanceof DomainError) return `:warning: ${error.message}`;
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error }, "the database did not answer a Slack request");
    return ":warning: The bot's database is not answering right now (it may be restarting). Try again in a moment.";
  }
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, "unexpected error in a Slack handler");
  return `:boom: Something went wrong on our side (reference \`${reference}\`). Try again, or tell an admin.`;
}

/** "web-01 is busy: start requested by <@U123> at 10:02" (the time in the reader's time zone). */
export function describeBusyForSlack(busy: BusyVm): string {
  const who = busy.claimedBy ? ` by <@${busy.claimedBy.slackUserId}>` : "";
  const when = busy.claimedAt ? ` at ${slackDate(busy.claimedAt, "{time}")}` : "";
  return `${escapeMrkdwn(busy.vmName)} is busy: ${describeClaimAction(busy.action)} requested${who}${when}`;
}

/** "Ada already approved this at 10:02" (the time in the reader's time zone). */
export function describeDecidedForSlack(error: AccessRequestDecidedError): string {
  const { status, deciderName, decidedAt } = error.outcome;
  if ((status !== "approved" && status !== "denied") || !decidedAt) return error.message;
  return `${escapeMrkdwn(deciderName ?? "Someone")} already ${status} this at ${slackDate(decidedAt, "{time}")}.`;
}
