// Writes what the cloud says about a VM into the inventory, keeping the state history.
import type { CloudInstance, ProviderKind } from "../providers/cloud-provider.js";

/** Why a VM is in `error`, as users read it: the catalog's words when the cloud's message carries a known code. */
export function errorStatusMessage(provider: ProviderKind | undefined, stateMessage: string | undefined): string {
  const reason = stateMessage ?? "The provider reported an error";
  return provider ? describeStateFailure(provider, reason) : reason;
}
import type { Db } from "./prisma-types.js";
import { describeStateFailure } from "./provider-errors.js";
import type { VmStatus } from "./vm-query.js";

export interface VmStateChange {
  vmId: number;
  from: VmStatus;
  to: VmStatus;
  reason: string;
  statusMessage?: string | null;
  at: Date;
  extra?: { lastAction?: string; lastActionAt?: Date };
}

export async function changeVmStatus(db: Db, change: VmStateChange): Promise<void> {
  await db.vm.update({
    where: { id: change.vmId },
    data: {
      status: change.to,
      ...(change.statusMessage !== undefined ? { statusMessage: change.statusMessage } : {}),
      ...change.extra,
    },
  });
  if (change.from !== change.to) {
    await db.vmStateHistory.create({ data: { vmId: change.vmId, fromStatus: change.from, toStatus: change.to, reason: change.reason, at: change.at } });
  }
}

/** Records an observation from the provider; returns the VM's new status. */
export async function recordObservedState(
  db: Db,
  vm: { id: number; status: VmStatus; provider?: ProviderKind },
  instance: CloudInstance,
  reason: string,
  at: Date,
): Promise<VmStatus> {
  await db.vm.update({ where: { id: vm.id }, data: { providerState: instance.providerState, lastSyncedAt: at } });
  await changeVmStatus(db, {
    vmId: vm.id,
    from: vm.status,
    to: instance.state,
    reason,
    statusMessage: instance.state === "error" ? errorStatusMessage(vm.provider, instance.stateMessage) : null,
    at,
  });
  return instance.state;
}
