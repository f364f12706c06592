import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import * as submitAccessDeny from "./submit-access-deny.js";
import * as submitAccessRequest from "./submit-access-request.js";
import * as submitAuditFilters from "./submit-audit-filters.js";
import * as submitLockBreak from "./submit-lock-break.js";
import * as submitNotificationSettings from "./submit-notification-settings.js";
import * as submitSnapshotCreate from "./submit-snapshot-create.js";
import * as submitVmFilter from "./submit-vm-filter.js";

export function register(app: App, deps: SlackDeps): void {
  for (const listener of [submitVmFilter, submitSnapshotCreate, submitAuditFilters, submitAccessDeny, submitAccessRequest, submitLockBreak, submitNotificationSettings]) listener.register(app, deps);
}
