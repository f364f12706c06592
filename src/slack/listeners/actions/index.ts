import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import * as accessDecision from "./access-decision.js";
import * as accessExtend from "./access-extend.js";
import * as auditPage from "./audit-page.js";
import * as deleteSnapshot from "./delete-snapshot.js";
import * as driftButtons from "./drift-buttons.js";
import * as envCancel from "./env-cancel.js";
import * as envRetry from "./env-retry.js";
import * as envRun from "./env-run.js";
import * as exportAudit from "./export-audit.js";
import * as homeEnvironment from "./home-environment.js";
import * as homeShortcuts from "./home-shortcuts.js";
import * as lockNotificationVerbs from "./lock-notification-verbs.js";
import * as lockOpenBreak from "./lock-open-break.js";
import * as lockQueue from "./lock-queue.js";
import * as notificationButtons from "./notification-buttons.js";
import * as openNotificationSettings from "./open-notification-settings.js";
import * as openAuditFilters from "./open-audit-filters.js";
import * as openSnapshotCreate from "./open-snapshot-create.js";
import * as openSnapshots from "./open-snapshots.js";
import * as requestAccess from "./request-access.js";
import * as removeVm from "./remove-vm.js";
import * as restoreSnapshot from "./restore-snapshot.js";
import * as shareInChannel from "./share-in-channel.js";
import * as vmListBulk from "./vm-list-bulk.js";
import * as vmListClear from "./vm-list-clear.js";
import * as vmListFilter from "./vm-list-filter.js";
import * as vmListPage from "./vm-list-page.js";
import * as vmListPick from "./vm-list-pick.js";
import * as vmListSelect from "./vm-list-select.js";
import * as vmPower from "./vm-power.js";

const listeners = [
  vmListSelect, vmListPick, vmListPage, vmListClear, vmListFilter, vmListBulk, vmPower, removeVm,
  openSnapshots, openSnapshotCreate, restoreSnapshot, deleteSnapshot,
  auditPage, exportAudit, openAuditFilters, homeShortcuts, shareInChannel,
  envRun, envRetry, envCancel, homeEnvironment, driftButtons,
  accessDecision, accessExtend, requestAccess,
  lockQueue, lockOpenBreak, lockNotificationVerbs,
  notificationButtons, openNotificationSettings,
];

export function register(app: App, deps: SlackDeps): void {
  for (const listener of listeners) listener.register(app, deps);
  // Buttons that only open a URL still send an action; acknowledge them quietly.
  app.action("vm_console", async ({ ack }) => ack());
}
