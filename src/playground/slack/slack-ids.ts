// Issues ids and message timestamps that look like Slack's, per stand-in instance (no globals),
// so two stand-ins in one process never share sequences.
import { randomBytes } from "node:crypto";

export type IdPrefix = "C" | "G" | "D" | "U" | "V" | "F" | "Ev" | "A" | "B" | "T";

export class SlackIdFactory {
  private counter = 0;
  private lastTsMicros = 0;

  constructor(private readonly now: () => number) {}

  /** `prefix` + 9 upper-case alphanumerics, e.g. C00000001A: matches ^[CGD][A-Z0-9]{8,}$. */
  id(prefix: IdPrefix): string {
    this.counter += 1;
    return `${prefix}0${this.counter.toString(36).toUpperCase().padStart(8, "0")}`;
  }

  /** "1700000000.000100"-style message ts, strictly increasing even within one millisecond. */
  ts(): string {
    const micros = Math.max(Math.floor(this.now()) * 1000, this.lastTsMicros + 100);
    this.lastTsMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  /** Slack trigger ids look like "12345.98765.abcd2358fdea". */
  triggerId(): string {
    this.counter += 1;
    return `${Math.floor(this.now())}.${this.counter}.${randomBytes(16).toString("hex")}`;
  }

  /** An opaque url-safe token for response_url and upload paths. */
  secret(): string {
    return randomBytes(12).toString("hex");
  }

  /** View hashes look like "1569262015.55b5e41b". */
  viewHash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString("hex")}`;
  }
}
