// action_id / callback_id constants: the contract between the rendered surfaces and their listeners.
import type { NotificationVerb } from "../services/notifications/notification-kinds.js";

export const ACTION = {
  // VM list message
  vmSelect: "vm_list_select",
  vmPick: "vm_list_pick",
  bulkStart: "vm_list_start",
  bulkStop: "vm_list_stop",
  bulkReboot: "vm_list_reboot",
  clearSelection: "vm_list_clear",
  pagePrevious: "vm_list_previous",
  pageNext: "vm_list_next",
  refresh: "vm_list_refresh",
  openFilter: "vm_list_filter",
  shareList: "vm_list_share",
  // Single-VM controls (status card); value = VM id
  vmStart: "vm_start",
  vmStop: "vm_stop",
  vmReboot: "vm_reboot",
  vmOpenSnapshots: "vm_snapshots",
  vmConsole: "vm_console",
  vmRemove: "vm_remove",
  vmShare: "vm_share",
  // Snapshots; values = VM id (create) or snapshot id
  snapshotOpenCreate: "snapshot_open_create",
  snapshotRestore: "snapshot_restore",
  snapshotDelete: "snapshot_delete",
  // Snapshot list paging / refresh; value = the list's state (views/snapshots.ts)
  snapshotPrevious: "snapshot_previous",
  snapshotNext: "snapshot_next",
  snapshotRefresh: "snapshot_refresh",
  // Audit
  auditPrevious: "audit_previous",
  auditNext: "audit_next",
  auditExport: "audit_export",
  auditOpenFilters: "audit_open_filters",
  // Environments: run after the confirmation (value = { action, environment }); retry (value = run id)
  envRun: "env_run",
  envRetry: "env_retry",
  envCancel: "env_cancel",
  // App Home shortcuts
  homeListVms: "home_list_vms",
  homeOpenAudit: "home_open_audit",
  homeHelp: "home_help",
  // App Home environment buttons (value = environment name): the plan with its confirm button, in the DM
  homeEnvStart: "home_env_start",
  homeEnvStop: "home_env_stop",
  // Notification rows (value = notification id; only the reader's own), the settings modal. A notification's
  // own buttons are `notificationActionId(verb)` below.
  notificationRead: "notification_read",
  notificationDismiss: "notification_dismiss",
  notificationPreference: "notification_preference",
  notificationReadAll: "notification_read_all",
  // On an environment the user cannot open (value = environment name): the access request modal
  envRequestAccess: "env_request_access",
  // Environment locks (value = environment name): queue behind the holder; open the break-lock modal
  lockQueue: "lock_queue",
  lockOpenBreak: "lock_open_break",
} as const;

export const VIEW = {
  vmFilter: "vm_filter_modal",
  snapshotCreate: "snapshot_create_modal",
  audit: "audit_modal",
  /** Deny from an approver's DM: the reason (private_metadata = request id). */
  accessDeny: "access_deny_modal",
  /** Request access from an environment's button (private_metadata = environment name). */
  accessRequest: "access_request_modal",
  lockBreak: "lock_break_modal",
  notificationSettings: "notification_settings_modal",
} as const;

/** block_id / action_id of inputs inside modals, read back from view.state.values. */
export const INPUT = {
  filterQuery: { block: "filter_query", action: "query" },
  snapshotName: { block: "snapshot_name", action: "name" },
  auditUsers: { block: "audit_users", action: "users" },
  auditActions: { block: "audit_actions", action: "actions" },
  auditVm: { block: "audit_vm", action: "vm" },
  auditSince: { block: "audit_since", action: "since" },
  auditOutcome: { block: "audit_outcome", action: "outcome" },
  denyReason: { block: "deny_reason", action: "reason" },
  accessLevel: { block: "access_level", action: "level" },
  accessDuration: { block: "access_duration", action: "duration" },
  accessJustification: { block: "access_justification", action: "justification" },
  lockBreakReason: { block: "lock_break_reason", action: "reason" },
  /** One checkbox group per 10 kinds: blocks `notification_dm:0`, `notification_dm:1` ... */
  notificationDm: { block: "notification_dm", action: "dm" },
} as const;

export const COMMAND = "/vm";

/** The action id of a notification verb's button; each feature registers a handler for its verbs. */
export function notificationActionId(verb: NotificationVerb): string {
  return `notify_${verb}`;
}
