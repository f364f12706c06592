// The seed's notification types: what each is about and how loud it is by default. Strings in the database,
// so a new kind needs no migration; the App Home preferences list these.

export const NOTIFICATION_KINDS = {
  access_request_pending: { label: "Access requests waiting for you", severity: "info" },
  access_granted: { label: "Access granted to you", severity: "info" },
  access_denied: { label: "Access requests denied", severity: "info" },
  access_expiring: { label: "Your access is about to expire", severity: "warning" },
  access_revoked: { label: "Access revoked", severity: "warning" },
  lock_acquired: { label: "Lock taken on your environment", severity: "info" },
  lock_released: { label: "Lock released", severity: "info" },
  lock_broken: { label: "Your lock was broken", severity: "warning" },
  lock_offered: { label: "A lock you queued for is free", severity: "info" },
  lock_expiring: { label: "Your lock is held a long time", severity: "info" },
  vm_action_failed: { label: "A VM start or stop failed", severity: "warning" },
  state_drift: { label: "A VM changed outside the bot", severity: "warning" },
  environment_unlocked: { label: "An environment was unlocked", severity: "info" },
  dependency_blocked: { label: "An action was blocked by dependencies", severity: "info" },
  admin_force_action: { label: "An admin forced or overrode a run", severity: "critical" },
} as const;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];
export type Severity = "info" | "warning" | "critical";

/**
 * What a reader can do from the notification; the Slack layer draws each verb as a button. Each feature adds its
 * verbs here and a handler for them.
 */
export const NOTIFICATION_VERBS = [
  "access_approve",
  "access_deny",
  "access_extend",
  "lock_extend",
  "lock_release",
  "lock_take",
  "drift_adopt",
  "drift_revert",
  "drift_ignore",
  "open_environment",
  "open_vm",
] as const;
export type NotificationVerb = (typeof NOTIFICATION_VERBS)[number];

export interface NotificationPayload {
  /** One or two sentences in plain words: what happened, who did it, why. */
  text: string;
  /** Facts shown under it, in order: label -> value. */
  facts?: Record<string, string>;
  /** What the reader can do from it; `value` identifies the thing (a request id, a VM id ...). */
  actions?: { verb: NotificationVerb; value: string }[];
  /** Set once the matter is settled elsewhere ("Approved by Ada at 10:02"): the DM is redrawn without actions. */
  resolution?: string;
}

/** What a notification is about, for the link back: any of these. */
export interface NotificationLink {
  environment?: string;
  vm?: string;
  requestId?: number;
  operationId?: number;
}
