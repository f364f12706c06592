import { randomHex } from "../random-ids.js";
import { OPERATION_VERB, type ProviderFlavour } from "./flavour.js";

export const simulatorFlavour: ProviderFlavour = {
  kind: "simulator",
  instanceId: (_name, _region, random) => `sim-${randomHex(random, 10)}`,
  snapshotId: (_name, _region, random) => `simsnap-${randomHex(random, 10)}`,
  stateWord: (state) => state,
  consoleUrl: () => undefined,
  failureMessage: (operation, { name }) =>
    `SimulatedFailure: the simulator made ${name} fail while being ${OPERATION_VERB[operation]}.`,
  incorrectStateMessage: (operation, { name }, state) =>
    `IncorrectInstanceState: ${name} is ${state} and cannot be ${OPERATION_VERB[operation]} now.`,
  throttleMessage: () => "Throttled: simulated rate limit exceeded.",
  snapshotNotFoundMessage: (snapshotId) => `SnapshotNotFound: snapshot ${snapshotId} does not exist.`,
};
