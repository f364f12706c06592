// Work that continues after Slack got its ack (progress tracking, restores). Kept in one place so
// shutdown can wait for it and tests can wait until the bot is idle.
import type { Logger } from "../logger.js";

export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, task: () => Promise<unknown>): void {
    const promise = task()
      .catch((error) => this.logger.error({ err: error, task: name }, "background task failed"))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  /** Counts work that is awaited elsewhere (a listener finishing after its ack) towards idle(). */
  track<T>(promise: Promise<T>): Promise<T> {
    const settled = promise.catch(() => undefined).finally(() => this.running.delete(settled));
    this.running.add(settled);
    return promise;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves once nothing is running, including tasks started meanwhile. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}

/**
 * Calls `send` at most once per `intervalMs`, always with the latest value: a value that comes too
 * soon is sent when the interval is over (unless a newer one replaces it). `flush()` sends what is
 * pending now; call it last so the final value is never lost.
 */
export function throttled<T>(intervalMs: number, send: (value: T) => Promise<void>) {
  let lastSent = 0;
  let latest: { value: T } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    chain = chain.then(async () => {
      if (!latest) return;
      const { value } = latest;
      latest = undefined;
      lastSent = Date.now();
      await send(value);
    });
    return chain;
  };
  const push = (value: T) => {
    latest = { value };
    const wait = intervalMs - (Date.now() - lastSent);
    if (wait <= 0) return flush();
    timer ??= setTimeout(() => void flush(), wait).unref();
    return chain;
  };
  return { push, flush };
}
