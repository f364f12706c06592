import { randomHex } from "../random-ids.js";
import type { SimulatedState } from "../simulated-state.js";
import { OPERATION_VERB, type ProviderFlavour } from "./flavour.js";

const STATE_WORDS: Record<SimulatedState, string> = {
  pending: "pending",
  running: "running",
  stopping: "stopping",
  stopped: "stopped",
  rebooting: "rebooting",
  error: "impaired",
};

export const awsFlavour: ProviderFlavour = {
  kind: "aws",
  instanceId: (_name, _region, random) => `i-0${randomHex(random, 16)}`,
  snapshotId: (_name, _region, random) => `snap-0${randomHex(random, 16)}`,
  stateWord: (state) => STATE_WORDS[state],
  consoleUrl: ({ resourceId, region }) =>
    `https://${region}.console.aws.amazon.com/ec2/home?region=${region}#InstanceDetails:instanceId=${resourceId}`,
  failureMessage(operation, { resourceId, region }) {
    switch (operation) {
      case "start":
        return `Server.InsufficientInstanceCapacity: We currently do not have sufficient capacity in the Availability Zone you requested (${region}a). Our system will be working on provisioning additional capacity.`;
      case "stop":
        return `Server.InternalError: An internal error has occurred while stopping instance ${resourceId}.`;
      case "reboot":
        return `InstanceStatus.Impaired: Instance ${resourceId} failed its reachability check after the reboot.`;
      case "snapshot":
        return `Server.InternalError: The snapshot of the root volume of ${resourceId} could not be completed.`;
      case "restore":
        return `Server.InternalError: Replacing the root volume of ${resourceId} failed; the instance was left impaired.`;
    }
  },
  incorrectStateMessage: (operation, { resourceId }, state) =>
    `IncorrectInstanceState: The instance '${resourceId}' is not in a state from which it can be ${OPERATION_VERB[operation]} (current state: ${STATE_WORDS[state]}).`,
  throttleMessage: () => "RequestLimitExceeded: Request limit exceeded.",
  snapshotNotFoundMessage: (snapshotId) => `InvalidSnapshot.NotFound: The snapshot '${snapshotId}' does not exist.`,
};
