// The audit vocabulary. Strings in the database (not an enum) so later features add actions without a migration.

export const AUDIT_ACTIONS = [
  "login",
  "logout",
  "view",
  "vm_start",
  "vm_stop",
  "reboot",
  "delete",
  "snapshot_created",
  "snapshot_deleted",
  "snapshot_restored",
  "audit_exported",
  "role_changed",
  "lock_acquired",
  "lock_released",
  "lock_broken",
  "access_requested",
  "access_granted",
  "access_denied",
  "access_revoked",
  "environment_start",
  "environment_stop",
  "state_drift_detected",
  "state_drift_adopted",
  "state_drift_reverted",
  "state_drift_ignored",
  "access_expired",
  "access_request_expired",
  "env_admin_changed",
  "lock_expired",
  "lock_extended",
  "lock_queued",
  "lock_unqueued",
  "notification_preference_changed",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ["initiated", "succeeded", "failed", "denied"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_SOURCES = ["slack_command", "slack_button", "slack_modal", "slack_home", "schedule", "system"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

