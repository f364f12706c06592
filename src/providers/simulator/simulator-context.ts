// What every part of the simulator shares: the database, the provider's flavour, the injected clock
// and randomness, and the decisions that use them (throttling, transition timing, failures).
import type { PrismaClient } from "../../db/database.js";
import { CloudProviderError, ThrottledError, type ProviderKind } from "../cloud-provider.js";
import type { ProviderFlavour, SimulatedMachine } from "./flavours/index.js";
import type { RandomSource } from "./random-ids.js";
import type { FaultOperation, SimulatedState } from "./simulated-state.js";
import { triggerFault, type FaultTable } from "./stored-details.js";

export interface SimulatorTiming {
  latencyMs: number;
  jitterMs: number;
  failureRate: number;
  throttleRate: number;
}

export interface SimulatorContext {
  prisma: PrismaClient;
  kind: ProviderKind;
  flavour: ProviderFlavour;
  timing: SimulatorTiming;
  random: RandomSource;
  now: () => Date;
}

export interface PlannedFailure {
  message: string;
  /** Set when an injected `once` fault was used up and the instance's fault table must be saved. */
  remainingFaults?: FaultTable;
}

/** Every API call may be throttled, like a real cloud under load; callers retry. */
export function throttle(context: SimulatorContext): void {
  const { throttleRate } = context.timing;
  if (throttleRate > 0 && context.random() < throttleRate) {
    throw new ThrottledError(context.kind, context.flavour.throttleMessage());
  }
}

/** When a transition begun now settles: latency ± jitter, never in the past. */
export function transitionEnd(context: SimulatorContext): Date {
  const { latencyMs, jitterMs } = context.timing;
  const jitter = jitterMs > 0 ? (context.random() * 2 - 1) * jitterMs : 0;
  return new Date(context.now().getTime() + Math.max(0, Math.round(latencyMs + jitter)));
}

/** An injected fault wins; otherwise the random failure rate decides. */
export function planFailure(
  context: SimulatorContext,
  operation: FaultOperation,
  machine: SimulatedMachine,
  faults: FaultTable,
): PlannedFailure | undefined {
  const fault = triggerFault(faults, operation);
  if (fault) return { message: fault.message, remainingFaults: fault.remaining === faults ? undefined : fault.remaining };
  const { failureRate } = context.timing;
  if (failureRate > 0 && context.random() < failureRate) return { message: context.flavour.failureMessage(operation, machine) };
  return undefined;
}

export function incorrectInstanceState(
  context: SimulatorContext,
  operation: FaultOperation,
  machine: SimulatedMachine,
  state: SimulatedState,
): CloudProviderError {
  return new CloudProviderError(
    context.kind,
    "IncorrectInstanceState",
    context.flavour.incorrectStateMessage(operation, machine, state),
  );
}
