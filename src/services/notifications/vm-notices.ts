// What the VM and environment services tell people, as notifications: a failed start/stop (to whoever asked),
// a single-VM action the dependency guard refused (to whoever asked, with what blocks it), and a forced or
// overridden environment run (to the environment's admins). Pure builders; the services write them in the
// transaction that records the outcome.
import type { NotificationService, NotifyInput } from "./notification-service.js";

/** What a service needs to write notifications (in its own transaction). */
export type Notifier = Pick<NotificationService, "notify">;

const VERB = { vm_start: "Start", vm_stop: "Stop" } as const;

/** The batch actions whose failure is a `vm_action_failed` (a reboot is not one of the seed's kinds). */
export function isNotifiedVmAction(kind: string): kind is keyof typeof VERB {
  return kind in VERB;
}

export function vmActionFailed(input: { userId: number; kind: keyof typeof VERB; operationId: number; vm: { id: number; name: string }; message: string | null }): NotifyInput {
  const { vm, operationId } = input;
  return {
    userId: input.userId,
    kind: "vm_action_failed",
    payload: { text: `${VERB[input.kind]} of ${vm.name} failed: ${input.message ?? "no reason given"}`, facts: { VM: vm.name, Operation: `#${operationId}` } },
    link: { vm: vm.name, operationId },
    // One per VM and operation, whichever replica records the failure.
    dedupeKey: `vm_action_failed:${operationId}:${vm.id}`,
  };
}

export function dependencyBlocked(input: { userId: number; action: string; operationId: number; vm: { id: number; name: string }; blockedBy: string }): NotifyInput {
  const { vm, operationId } = input;
  return {
    userId: input.userId,
    kind: "dependency_blocked",
    payload: { text: `Your ${input.action} of ${vm.name} was not sent to the cloud: ${input.blockedBy}.`, facts: { VM: vm.name, Operation: `#${operationId}` } },
    link: { vm: vm.name, operationId },
    dedupeKey: `dependency_blocked:${operationId}:${vm.id}`,
  };
}

export function adminForceAction(input: {
  userIds: number[];
  actorName: string;
  kind: "force" | "override";
  environment: string;
  operationId: number;
  reason: string;
}): NotifyInput[] {
  const what =
    input.kind === "force"
      ? `forced a stop of ${input.environment} (every VM at once, not in reverse order)`
      : `started ${input.environment} overriding its dependencies (every VM at once)`;
  return input.userIds.map((userId) => ({
    userId,
    kind: "admin_force_action" as const,
    payload: { text: `${input.actorName} ${what}.`, facts: { Reason: input.reason, Run: `#${input.operationId}` } },
    link: { environment: input.environment, operationId: input.operationId },
    dedupeKey: `admin_force_action:${input.operationId}:${userId}`,
  }));
}
