// Polls something other than an instance (a new boot volume, an attachment) until it is ready, on the
// injected clock, within a bound. Instances use pollForState; this is its twin for other resources.
import { CloudProviderError } from "../cloud-provider.js";
import type { PollClock } from "../simulator/poll-for-state.js";

export async function waitUntil<T>(
  look: () => Promise<T>,
  done: (seen: T) => boolean,
  { timeoutMs, pollIntervalMs, what }: { timeoutMs: number; pollIntervalMs: number; what: string },
  clock: PollClock,
): Promise<T> {
  const startedAt = clock.now().getTime();
  for (;;) {
    const seen = await look();
    if (done(seen)) return seen;
    const elapsed = clock.now().getTime() - startedAt;
    if (elapsed >= timeoutMs) throw new CloudProviderError("oci", "WaitTimeout", `OCI did not finish: ${what} (waited ${Math.round(timeoutMs / 1000)} s)`);
    await clock.sleep(Math.min(pollIntervalMs, timeoutMs - elapsed));
  }
}
