// The simulated cloud's own vocabulary and the rules for moving between its states.
// Kept pure so the provider class only loads, decides and persists.
import type { InstanceState } from "../cloud-provider.js";

/** What `SimulatedInstance.state` holds. */
export type SimulatedState = "pending" | "running" | "stopping" | "stopped" | "rebooting" | "error";

/** A state an instance can be registered in (no transition under way). */
export type SettledState = "running" | "stopped" | "error";

export type InstanceOperation = "start" | "stop" | "reboot";

/** Operations a fault can be injected into. */
export type FaultOperation = InstanceOperation | "snapshot" | "restore";

const BOT_STATE: Record<SimulatedState, InstanceState> = {
  pending: "starting",
  running: "running",
  stopping: "stopping",
  stopped: "stopped",
  rebooting: "rebooting",
  error: "error",
};

export function toInstanceState(state: string): InstanceState {
  return BOT_STATE[state as SimulatedState] ?? "unknown";
}

/**
 * What an operation does from a given state: begin a transition, accept as a no-op (like real clouds
 * do for start-while-running), or refuse.
 */
export type TransitionPlan =
  | { kind: "transition"; via: SimulatedState; to: SimulatedState }
  | { kind: "noop" }
  | { kind: "refuse" };

const PLANS: Record<InstanceOperation, Partial<Record<SimulatedState, TransitionPlan>>> = {
  start: {
    stopped: { kind: "transition", via: "pending", to: "running" },
    error: { kind: "transition", via: "pending", to: "running" },
    running: { kind: "noop" },
    pending: { kind: "noop" },
    rebooting: { kind: "noop" },
  },
  stop: {
    running: { kind: "transition", via: "stopping", to: "stopped" },
    error: { kind: "transition", via: "stopping", to: "stopped" },
    stopped: { kind: "noop" },
    stopping: { kind: "noop" },
  },
  reboot: {
    running: { kind: "transition", via: "rebooting", to: "running" },
  },
};

export function planOperation(operation: InstanceOperation, state: string): TransitionPlan {
  return PLANS[operation][state as SimulatedState] ?? { kind: "refuse" };
}

/** Snapshots can be taken of a machine at rest, not of one mid-transition. */
export function canSnapshot(state: string): boolean {
  return state === "running" || state === "stopped" || state === "error";
}

const SIMULATED_STATES = new Set<string>(Object.keys(BOT_STATE));

export function isSimulatedState(state: string): state is SimulatedState {
  return SIMULATED_STATES.has(state);
}

/** Rows written by other tools may hold anything; unknown words count as `error` in messages. */
export function asSimulatedState(state: string): SimulatedState {
  return isSimulatedState(state) ? state : "error";
}
