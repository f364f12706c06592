import { randomSlug } from "../random-ids.js";
import type { SimulatedState } from "../simulated-state.js";
import type { ProviderFlavour } from "./flavour.js";

const STATE_WORDS: Record<SimulatedState, string> = {
  pending: "STARTING",
  running: "RUNNING",
  stopping: "STOPPING",
  stopped: "STOPPED",
  rebooting: "SOFTRESETTING",
  error: "FAILED",
};

export const ociFlavour: ProviderFlavour = {
  kind: "oci",
  instanceId: (_name, region, random) => `ocid1.instance.oc1.${region}.${randomSlug(random, 60)}`,
  snapshotId: (_name, region, random) => `ocid1.bootvolumebackup.oc1.${region}.${randomSlug(random, 60)}`,
  stateWord: (state) => STATE_WORDS[state],
  consoleUrl: ({ resourceId, region }) => `https://cloud.oracle.com/compute/instances/${resourceId}?region=${region}`,
  failureMessage(operation, { name }) {
    switch (operation) {
      case "start":
        return "InternalError: Out of host capacity.";
      case "stop":
        return `InternalError: The service encountered an internal error while stopping instance ${name}.`;
      case "reboot":
        return `InternalError: Instance ${name} did not come back after SOFTRESET.`;
      case "snapshot":
        return `InternalError: The boot volume backup of ${name} could not be completed.`;
      case "restore":
        return `InternalError: Replacing the boot volume of ${name} failed.`;
    }
  },
  incorrectStateMessage: (operation, { resourceId }, state) =>
    `IncorrectState: Instance ${resourceId} is in lifecycle state ${STATE_WORDS[state]}; cannot ${operation} it now.`,
  throttleMessage: () => "TooManyRequests: Too many requests for the tenancy.",
  snapshotNotFoundMessage: (snapshotId) => `NotAuthorizedOrNotFound: Authorization failed or requested resource not found (${snapshotId}).`,
};
