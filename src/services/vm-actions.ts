// What each power action means: who may do it, what it is audited as, where the VM should end up.
import type { AuditAction } from "./audit-actions.js";
import type { Permission } from "./policy.js";
import type { VmStatus } from "./vm-query.js";

export const VM_ACTIONS = ["start", "stop", "reboot"] as const;
export type VmAction = (typeof VM_ACTIONS)[number];

export interface VmActionSpec {
  permission: Permission;
  auditAction: AuditAction;
  /** Where the VM settles when the action succeeds. */
  target: VmStatus;
  /** What the VM shows while the cloud works on it. */
  transitional: VmStatus;
  /** Statuses in which the action has nothing to do. */
  noopWhen: readonly VmStatus[];
  /** Statuses in which the action cannot run at all, with the reason. */
  refusedWhen: Partial<Record<VmStatus, string>>;
}

export const VM_ACTION_SPECS: Record<VmAction, VmActionSpec> = {
  start: {
    permission: "vm_start",
    auditAction: "vm_start",
    target: "running",
    transitional: "starting",
    noopWhen: ["running", "starting"],
    refusedWhen: {},
  },
  stop: {
    permission: "vm_stop",
    auditAction: "vm_stop",
    target: "stopped",
    transitional: "stopping",
    noopWhen: ["stopped", "stopping"],
    refusedWhen: {},
  },
  reboot: {
    permission: "reboot",
    auditAction: "reboot",
    target: "running",
    transitional: "rebooting",
    noopWhen: ["rebooting"],
    refusedWhen: { stopped: "it is stopped; start it instead", stopping: "it is stopping", error: "it is in error; start it to recover" },
  },
};
