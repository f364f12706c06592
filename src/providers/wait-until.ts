// The one wait/poll helper: look, until done, within a bound. Time is read from the injected clock and
// waiting goes through the injected sleep, so tests drive both without real delays. `pollForState` is
// the common case: an instance until it reaches a target state (or `error`).
import { setTimeout as delay } from "node:timers/promises";
import {
  CloudProviderError,
  WaitTimeoutError,
  type CloudInstance,
  type CloudProvider,
  type InstanceState,
  type WaitOptions,
} from "./cloud-provider.js";

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

export interface PollClock {
  now: () => Date;
  sleep: Sleep;
}

export const realClock: PollClock = { now: () => new Date(), sleep: realSleep };

export interface WaitUntilOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
  /** The error when the bound is reached, from the last thing seen (undefined if every look was throttled). */
  timedOut: (lastSeen: unknown) => Error;
}

/**
 * Calls `look` until `done` says so, sleeping `pollIntervalMs` between looks, and throws `timedOut(...)`
 * once `timeoutMs` has passed. A throttled look (a retryable CloudProviderError) is a missed look; any other
 * error, and whatever `look` throws to stop early (a failed operation), reaches the caller.
 */
export async function waitUntil<T>(look: () => Promise<T>, done: (seen: T) => boolean, options: WaitUntilOptions, clock: PollClock = realClock): Promise<T> {
  const { timeoutMs, pollIntervalMs, signal } = options;
  const startedAt = clock.now().getTime();
  let lastSeen: T | undefined;
  for (;;) {
    signal?.throwIfAborted();
    try {
      lastSeen = await look();
      if (done(lastSeen)) return lastSeen;
    } catch (error) {
      if (!(error instanceof CloudProviderError && error.retryable)) throw error;
    }
    const elapsed = clock.now().getTime() - startedAt;
    if (elapsed >= timeoutMs) throw options.timedOut(lastSeen);
    await clock.sleep(Math.min(pollIntervalMs, timeoutMs - elapsed), signal);
  }
}

export async function pollForState(
  provider: Pick<CloudProvider, "kind" | "describeInstance">,
  resourceId: string,
  target: InstanceState,
  options: Required<Pick<WaitOptions, "timeoutMs" | "pollIntervalMs">> & WaitOptions,
  clock: PollClock,
): Promise<CloudInstance> {
  return waitUntil(
    async () => {
      const instance = await provider.describeInstance(resourceId);
      options.onPoll?.(instance);
      return instance;
    },
    (instance) => instance.state === target || instance.state === "error",
    {
      ...options,
      timedOut: (last) => new WaitTimeoutError(provider.kind, resourceId, target, (last as CloudInstance | undefined)?.state ?? "unknown"),
    },
    clock,
  );
}
