// How one provider kind looks from the outside: id formats, state words and error messages.
// The simulator's behaviour is the same for every kind; only this surface changes.
import type { ProviderKind } from "../../cloud-provider.js";
import type { RandomSource } from "../random-ids.js";
import type { FaultOperation, SimulatedState } from "../simulated-state.js";

export interface SimulatedMachine {
  resourceId: string;
  name: string;
  region: string;
}

export interface ProviderFlavour {
  readonly kind: ProviderKind;
  instanceId(name: string, region: string, random: RandomSource): string;
  snapshotId(name: string, region: string, random: RandomSource): string;
  /** The provider's own word for a simulated state (e.g. azure "VM deallocated"). */
  stateWord(state: SimulatedState): string;
  consoleUrl(machine: SimulatedMachine): string | undefined;
  /** Why an operation failed, as this provider would put it. */
  failureMessage(operation: FaultOperation, machine: SimulatedMachine): string;
  /** Why an operation is refused in the machine's current state. */
  incorrectStateMessage(operation: FaultOperation, machine: SimulatedMachine, state: SimulatedState): string;
  throttleMessage(): string;
  snapshotNotFoundMessage(snapshotId: string): string;
}

/** Verb used in messages, e.g. "started" / "snapshotted". */
export const OPERATION_VERB: Record<FaultOperation, string> = {
  start: "started",
  stop: "stopped",
  reboot: "rebooted",
  snapshot: "snapshotted",
  restore: "restored",
};
