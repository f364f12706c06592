// What a lock looks like outside the database, and the refusals that name it. Plain text here; the Slack edge
// formats the holder as a mention and the times in the reader's time zone.
import { ConflictError } from "../errors.js";

export interface LockPerson {
  userId: number;
  slackUserId: string;
  displayName: string | null;
}

export interface LockView {
  id: number;
  environmentId: number;
  environment: string;
  holder: LockPerson;
  reason: string | null;
  acquiredAt: Date;
  expiresAt: Date | null;
}

/** One environment's queue as its waiting user sees it. */
export interface QueuePosition {
  environmentId: number;
  environment: string;
  /** 1 = next in line. */
  position: number;
  /** Set while the lock is offered to this user: it is theirs to take until then. */
  offeredUntil: Date | null;
}

export interface MyLocks {
  held: LockView[];
  queued: QueuePosition[];
}

/** LockHistory.event values. The audit digest reads acquired/released/broken/expired as the span of a hold. */
export const LOCK_EVENTS = ["acquired", "released", "broken", "expired", "extended", "queued", "unqueued", "offered"] as const;
export type LockEvent = (typeof LOCK_EVENTS)[number];
/** Events that end a hold. */
export const LOCK_HOLD_ENDS: ReadonlySet<string> = new Set<LockEvent>(["released", "broken", "expired"]);

const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** "demo is locked by ada since 2026-11-30 10:02 UTC (release testing), until 12:02 UTC". */
export function describeLock(lock: LockView): string {
  const who = lock.holder.displayName ?? lock.holder.slackUserId;
  const why = lock.reason ? ` (${lock.reason})` : "";
  const until = lock.expiresAt ? `, until ${utc(lock.expiresAt)}` : ", with no end time";
  return `${lock.environment} is locked by ${who} since ${utc(lock.acquiredAt)}${why}${until}`;
}

/**
 * The environment is locked by someone else: an acquire that lost the race, or a change to a locked
 * environment's VMs by someone who is neither the holder nor an admin there.
 */
export class EnvironmentLockedError extends ConflictError {
  constructor(readonly lock: LockView, readonly refused: "acquire" | "change") {
    super(`${describeLock(lock)}.${refused === "change" ? " Only the holder and the environment's admins may change its VMs meanwhile." : ""}`);
  }
}

/** The lock is free but offered to the next in the queue until `until`. */
export class LockOfferedError extends ConflictError {
  constructor(readonly environment: string, readonly offeredTo: LockPerson, readonly until: Date) {
    super(`${environment} is free, but it is offered to ${offeredTo.displayName ?? offeredTo.slackUserId} (next in the queue) until ${utc(until)}. Queue with \`/vm env lock ${environment} --queue\`.`);
  }
}
