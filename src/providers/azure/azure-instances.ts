// Reading a VM: the instance view's `PowerState/<x>` and `ProvisioningState/<x>` statuses become the
// bot's InstanceState; a failed provisioning state is `error` with Azure's reason.
import type { InstanceViewStatus, VirtualMachine, VirtualMachineInstanceView } from "@azure/arm-compute";
import type { CloudInstance, InstanceState } from "../cloud-provider.js";

const POWER_STATES: Record<string, InstanceState> = {
  running: "running",
  starting: "starting",
  stopping: "stopping",
  deallocating: "stopping",
  stopped: "stopped",
  deallocated: "stopped",
};

export function toCloudInstance(vm: VirtualMachine, view: VirtualMachineInstanceView | undefined): CloudInstance {
  const statuses = view?.statuses ?? [];
  const power = statuses.find((status) => status.code?.startsWith("PowerState/"));
  const powerWord = power?.code?.slice("PowerState/".length) ?? "unknown";
  const failure = failedProvisioning(statuses);
  const state: InstanceState = failure ? "error" : (POWER_STATES[powerWord] ?? "unknown");
  return {
    resourceId: vm.id ?? "",
    name: vm.name ?? "",
    region: vm.location,
    state,
    providerState: power?.displayStatus ?? powerWord,
    stateMessage: failure ? `${failure.code}: ${failure.message ?? failure.displayStatus ?? ""}` : undefined,
    tags: { ...(vm.tags ?? {}) },
    details: {
      instanceType: vm.hardwareProfile?.vmSize,
      powerState: powerWord,
      // A powered-off (not deallocated) VM is still billed for its compute.
      deallocated: powerWord === "deallocated",
      zones: vm.zones,
      osDiskId: vm.storageProfile?.osDisk?.managedDisk?.id,
      consoleUrl: vm.id ? `https://portal.azure.com/#@/resource${vm.id}/overview` : undefined,
    },
  };
}

function failedProvisioning(statuses: InstanceViewStatus[]): InstanceViewStatus | undefined {
  return statuses.find((status) => status.code?.startsWith("ProvisioningState/failed"));
}

/** The last thing the instance view says that explains a state, for "accepted but still stopped". */
export function latestReason(view: VirtualMachineInstanceView | undefined): string | undefined {
  const explained = (view?.statuses ?? []).filter((status) => status.message || status.level === "Error");
  const last = explained.at(-1);
  return last ? `${last.code}: ${last.message ?? last.displayStatus ?? ""}` : undefined;
}

export function hasTag(tags: Record<string, string> | undefined, tag: { key: string; value: string }): boolean {
  // ARM tag names are case-insensitive; values are not.
  const entry = Object.entries(tags ?? {}).find(([key]) => key.toLowerCase() === tag.key.toLowerCase());
  return entry?.[1] === tag.value;
}
