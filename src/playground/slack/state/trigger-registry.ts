// trigger_ids the workspace simulator issued with each interaction. Slack lets an app use one once,
// within 3 seconds, to open or push a view for the user who interacted.
import type { SlackIdFactory } from "../slack-ids.js";
import { SlackApiError } from "../api/slack-api-error.js";

interface IssuedTrigger {
  userId: string;
  issuedAt: number;
  used: boolean;
}

export class TriggerRegistry {
  private readonly triggers = new Map<string, IssuedTrigger>();

  constructor(
    private readonly ids: SlackIdFactory,
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  issue(userId: string): string {
    const triggerId = this.ids.triggerId();
    this.triggers.set(triggerId, { userId, issuedAt: this.now(), used: false });
    return triggerId;
  }

  /** Spends a trigger; answers the user it was issued for, or Slack's error. */
  exchange(triggerId: string): string {
    const trigger = this.triggers.get(triggerId);
    if (!trigger) throw new SlackApiError("invalid_trigger_id");
    if (this.now() - trigger.issuedAt > this.ttlMs) throw new SlackApiError("expired_trigger_id");
    if (trigger.used) throw new SlackApiError("exchanged_trigger_id");
    trigger.used = true;
    return trigger.userId;
  }

  clear(): void {
    this.triggers.clear();
  }
}
