// Keeps calls inside a cloud's published request buckets so the bot is paced before the cloud
// throttles it. One token bucket per scope (an account + region, a project, a subscription) and per
// category (an API action or a class of actions); every adapter shares one pacer.
import { setTimeout as delay } from "node:timers/promises";

export interface BucketSpec {
  /** Tokens the bucket holds when full (the burst). */
  capacity: number;
  /** Tokens added back per second. */
  refillPerSecond: number;
}

export interface PacerClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const realClock: PacerClock = { now: () => Date.now(), sleep: (ms) => delay(ms) };

interface Bucket {
  spec: BucketSpec;
  tokens: number;
  updatedAt: number;
  /** Waiters queue here so tokens are handed out first come, first served. */
  queue: Promise<void>;
}

export class RequestPacer {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: PacerClock;

  constructor(clock: Partial<PacerClock> = {}) {
    this.clock = { ...realClock, ...clock };
  }

  /**
   * Waits until `tokens` are available in the bucket of `scope`/`category` and takes them. A request
   * bigger than the bucket waits for a full bucket and takes all of it (clouds size batches to fit).
   */
  acquire(scope: string, category: string, spec: BucketSpec, tokens = 1): Promise<void> {
    const bucket = this.bucketFor(scope, category, spec);
    const turn = bucket.queue.then(() => this.take(bucket, Math.min(tokens, spec.capacity)));
    bucket.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Tokens left now (after refill) in a bucket; for tests and diagnostics. */
  available(scope: string, category: string): number | undefined {
    const bucket = this.buckets.get(`${scope}\u0000${category}`);
    if (!bucket) return undefined;
    this.refill(bucket);
    return bucket.tokens;
  }

  private async take(bucket: Bucket, tokens: number): Promise<void> {
    for (;;) {
      this.refill(bucket);
      if (bucket.tokens >= tokens) {
        bucket.tokens -= tokens;
        return;
      }
      const missing = tokens - bucket.tokens;
      await this.clock.sleep(Math.ceil((missing / bucket.spec.refillPerSecond) * 1000));
    }
  }

  private refill(bucket: Bucket): void {
    const now = this.clock.now();
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(bucket.spec.capacity, bucket.tokens + elapsedSeconds * bucket.spec.refillPerSecond);
    bucket.updatedAt = now;
  }

  private bucketFor(scope: string, category: string, spec: BucketSpec): Bucket {
    const key = `${scope}\u0000${category}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { spec, tokens: spec.capacity, updatedAt: this.clock.now(), queue: Promise.resolve() };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
