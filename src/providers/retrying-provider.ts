// Wraps any CloudProvider so calls a cloud rejected as retryable (throttling) are tried again with
// exponential backoff; every other error reaches the caller at once.
import { setTimeout as delay } from "node:timers/promises";
import pRetry from "p-retry";
import {
  CloudProviderError,
  ThrottledError,
  type BatchResult,
  type PowerAction,
  type CloudInstance,
  type CloudProvider,
  type CloudSnapshot,
  type InstanceState,
  type ProviderKind,
  type WaitOptions,
} from "./cloud-provider.js";

export interface RetryOptions {
  /** Retries after the first attempt (so attempts = retries + 1). */
  retries?: number;
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
  factor?: number;
  /** Told about each retryable failure before the next attempt, e.g. to log it. */
  onRetry?: (error: CloudProviderError, attempt: number) => void;
  /** Waits out a cloud's `Retry-After` (injectable so tests drive time). */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS = { retries: 3, minTimeoutMs: 200, maxTimeoutMs: 2_000, factor: 2, sleep: (ms: number) => delay(ms) };

export function isRetryable(error: unknown): error is CloudProviderError {
  return error instanceof CloudProviderError && error.retryable;
}

export class RetryingProvider implements CloudProvider {
  readonly kind: ProviderKind;
  private readonly options: Required<Omit<RetryOptions, "onRetry">> & Pick<RetryOptions, "onRetry">;

  constructor(
    private readonly inner: CloudProvider,
    options: RetryOptions = {},
  ) {
    this.kind = inner.kind;
    this.options = { ...DEFAULTS, ...options };
  }

  listInstances(): Promise<CloudInstance[]> {
    return this.retry(() => this.inner.listInstances());
  }

  describeInstance(resourceId: string): Promise<CloudInstance> {
    return this.retry(() => this.inner.describeInstance(resourceId));
  }

  describeInstances(resourceIds: string[]): Promise<(CloudInstance | CloudProviderError)[]> {
    return this.retryEach(resourceIds, (ids) => this.inner.describeInstances(ids), (answer) => (answer instanceof CloudProviderError ? answer : undefined));
  }

  powerInstances(action: PowerAction, resourceIds: string[]): Promise<BatchResult[]> {
    return this.retryEach(resourceIds, (ids) => this.inner.powerInstances(action, ids), (result) => (result.ok ? undefined : result.error));
  }

  /**
   * A batch throttled as a whole is retried whole; machines throttled one by one inside an answer (clouds
   * that take one machine per call) are retried on their own, the others' answers kept. Out of retries, a
   * machine keeps its last answer, the throttling.
   */
  private async retryEach<T>(resourceIds: string[], call: (ids: string[]) => Promise<T[]>, errorOf: (answer: T) => CloudProviderError | undefined): Promise<T[]> {
    const answers = new Map<string, T>();
    let pending = resourceIds;
    try {
      await this.retry(async () => {
        const batch = await call(pending);
        batch.forEach((answer, index) => answers.set(pending[index]!, answer));
        const throttled = pending.filter((id) => isRetryable(errorOf(answers.get(id)!)));
        if (throttled.length) {
          pending = throttled;
          throw errorOf(answers.get(throttled[0]!)!);
        }
      });
    } catch (error) {
      if (!isRetryable(error) || resourceIds.some((id) => !answers.has(id))) throw error;
    }
    return resourceIds.map((id) => answers.get(id)!);
  }

  startInstance(resourceId: string): Promise<void> {
    return this.retry(() => this.inner.startInstance(resourceId));
  }

  stopInstance(resourceId: string): Promise<void> {
    return this.retry(() => this.inner.stopInstance(resourceId));
  }

  rebootInstance(resourceId: string): Promise<void> {
    return this.retry(() => this.inner.rebootInstance(resourceId));
  }

  createSnapshot(resourceId: string, name: string): Promise<CloudSnapshot> {
    return this.retry(() => this.inner.createSnapshot(resourceId, name));
  }

  listSnapshots(resourceId: string): Promise<CloudSnapshot[]> {
    return this.retry(() => this.inner.listSnapshots(resourceId));
  }

  describeSnapshot(snapshotId: string): Promise<CloudSnapshot> {
    return this.retry(() => this.inner.describeSnapshot(snapshotId));
  }

  deleteSnapshot(snapshotId: string): Promise<void> {
    return this.retry(() => this.inner.deleteSnapshot(snapshotId));
  }

  restoreSnapshot(resourceId: string, snapshotId: string): Promise<void> {
    return this.retry(() => this.inner.restoreSnapshot(resourceId, snapshotId));
  }

  /** Not retried as a whole: polling already shrugs off a throttled look and has its own deadline. */
  waitForState(resourceId: string, target: InstanceState, options?: WaitOptions): Promise<CloudInstance> {
    return this.inner.waitForState(resourceId, target, options);
  }

  private retry<T>(call: () => Promise<T>): Promise<T> {
    const { retries, minTimeoutMs, maxTimeoutMs, factor, onRetry, sleep } = this.options;
    return pRetry(call, {
      retries,
      minTimeout: minTimeoutMs,
      maxTimeout: maxTimeoutMs,
      factor,
      randomize: true,
      shouldRetry: ({ error }) => isRetryable(error),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (!isRetryable(error) || retriesLeft === 0) return;
        onRetry?.(error, attemptNumber);
        // The cloud said how long to stay away: wait that out first; the jittered backoff comes on top.
        if (error instanceof ThrottledError && error.retryAfterMs) await sleep(error.retryAfterMs);
      },
    });
  }
}

export function withRetries(provider: CloudProvider, options?: RetryOptions): CloudProvider {
  return new RetryingProvider(provider, options);
}
