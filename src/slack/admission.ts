// Admission: at most MAX_ACTIVE_INTERACTIONS Slack requests are worked on at once, ack included. Under a
// burst the rest wait their turn before their ack, first come first served, so Slack (or a closed-loop
// benchmark) slows down with the bot instead of the bot piling up half-done interactions: acked at once,
// 2,000 of them left hundreds in flight, each holding a query, a plan and a reply (750 MiB on PostgreSQL).
// Nobody waits past MAX_WAIT_MS: Slack wants its ack within 3 s, so a late one goes in over the limit.
import type { Middleware, AnyMiddlewareArgs } from "@slack/bolt";

export const MAX_WAIT_MS = 1500;

export class AdmissionGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly slots: number,
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {}

  /** Resolves with `leave` once the request may go on: a slot was free, or it waited `maxWaitMs`. */
  enter(): Promise<() => void> {
    if (this.active < this.slots) {
      this.active++;
      return Promise.resolve(this.leaver());
    }
    return new Promise((resolve) => {
      const admit = () => {
        clearTimeout(timer);
        resolve(this.leaver());
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(admit);
        if (index >= 0) this.waiting.splice(index, 1);
        this.active++; // over the limit: the ack must not be late
        resolve(this.leaver());
      }, this.maxWaitMs);
      this.waiting.push(admit);
    });
  }

  /** Requests being worked on, and waiting. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  private leaver(): () => void {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.waiting.shift();
      if (next) next(); // the slot passes on: active stays the same
      else this.active--;
    };
  }
}

/** Bolt global middleware: each request (its listener and what it awaits) holds a slot of `gate`. */
export function admissionMiddleware(gate: AdmissionGate): Middleware<AnyMiddlewareArgs> {
  return async ({ next }) => {
    const leave = await gate.enter();
    try {
      await next();
    } finally {
      leave();
    }
  };
}
