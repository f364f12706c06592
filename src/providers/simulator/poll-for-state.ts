// waitForState for any provider that can describe an instance: poll until the target or `error`.
// Time is read from the injected clock and waiting goes through the injected sleep, so tests drive
// both without real delays.
import { setTimeout as delay } from "node:timers/promises";
import {
  CloudProviderError,
  WaitTimeoutError,
  type CloudInstance,
  type CloudProvider,
  type InstanceState,
  type WaitOptions,
} from "../cloud-provider.js";

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

export interface PollClock {
  now: () => Date;
  sleep: Sleep;
}

export async function pollForState(
  provider: Pick<CloudProvider, "kind" | "describeInstance">,
  resourceId: string,
  target: InstanceState,
  options: Required<Pick<WaitOptions, "timeoutMs" | "pollIntervalMs">> & WaitOptions,
  clock: PollClock,
): Promise<CloudInstance> {
  const { timeoutMs, pollIntervalMs, signal, onPoll } = options;
  const startedAt = clock.now().getTime();
  let lastState: InstanceState = "unknown";
  for (;;) {
    signal?.throwIfAborted();
    try {
      const instance = await provider.describeInstance(resourceId);
      lastState = instance.state;
      onPoll?.(instance);
      if (instance.state === target || instance.state === "error") return instance;
    } catch (error) {
      // A throttled poll is just a missed look; anything else (not found, ...) is the caller's news.
      if (!(error instanceof CloudProviderError && error.retryable)) throw error;
    }
    const elapsed = clock.now().getTime() - startedAt;
    if (elapsed >= timeoutMs) throw new WaitTimeoutError(provider.kind, resourceId, target, lastState);
    await clock.sleep(Math.min(pollIntervalMs, timeoutMs - elapsed), signal);
  }
}
