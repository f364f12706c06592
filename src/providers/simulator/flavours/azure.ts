import { randomSlug, slugify } from "../random-ids.js";
import type { SimulatedState } from "../simulated-state.js";
import type { ProviderFlavour } from "./flavour.js";

// A fixed, obviously fake subscription so demo ids look real without pointing anywhere.
const SUBSCRIPTION = "5f1c2b3a-0d4e-4a6b-9c8d-7e6f5a4b3c2d";

const STATE_WORDS: Record<SimulatedState, string> = {
  pending: "VM starting",
  running: "VM running",
  stopping: "VM deallocating",
  stopped: "VM deallocated",
  rebooting: "VM restarting",
  error: "Provisioning failed",
};

const resourceGroup = (region: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-vmbot-${region}`;
const vmName = (resourceId: string) => resourceId.split("/").pop() ?? resourceId;

export const azureFlavour: ProviderFlavour = {
  kind: "azure",
  instanceId: (name, region) => `${resourceGroup(region)}/providers/Microsoft.Compute/virtualMachines/${name}`,
  snapshotId: (name, region, random) =>
    `${resourceGroup(region)}/providers/Microsoft.Compute/snapshots/${slugify(name)}-${randomSlug(random, 6)}`,
  stateWord: (state) => STATE_WORDS[state],
  consoleUrl: ({ resourceId }) => `https://portal.azure.com/#@/resource${resourceId}/overview`,
  failureMessage(operation, { resourceId, region }) {
    switch (operation) {
      case "start":
        return `AllocationFailed: Allocation failed. We do not have sufficient capacity for the requested VM size in region ${region}. Read more about improving likelihood of allocation success at https://aka.ms/allocation-guidance`;
      case "stop":
        return `InternalExecutionError: An internal execution error occurred while deallocating VM '${vmName(resourceId)}'. Please retry later.`;
      case "reboot":
        return `VMAgentStatusCommunicationError: VM '${vmName(resourceId)}' has not reported status for VM agent or extensions after the restart.`;
      case "snapshot":
        return `InternalDiskManagementError: An internal disk management error occurred while creating the snapshot.`;
      case "restore":
        return `OperationNotAllowed: Swapping the OS disk of VM '${vmName(resourceId)}' failed; the VM is in a failed state.`;
    }
  },
  incorrectStateMessage: (operation, { resourceId }, state) =>
    `OperationNotAllowed: Operation '${operation}' is not allowed on VM '${vmName(resourceId)}' since the VM is in state '${STATE_WORDS[state]}'.`,
  throttleMessage: () =>
    "TooManyRequests: The request is being throttled as the limit has been reached for operation type - Read_30Min. Please retry later.",
  snapshotNotFoundMessage: (snapshotId) =>
    `ResourceNotFound: The Resource '${snapshotId.split("/").pop()}' under resource group was not found.`,
};
