// What counts as drift: the cloud settled (or is settling) somewhere other than where the bot last knew the VM.
// A transition the bot asked for ("starting" that became "running") is not drift; neither is learning a state
// the bot did not know ("unknown", "error").
import type { InstanceState } from "../../providers/cloud-provider.js";
import type { VmStatus } from "../vm-query.js";

/** Where a state is heading: the stable state a transition ends in; null when there is no expectation. */
export function settledState(state: VmStatus | InstanceState): "running" | "stopped" | null {
  switch (state) {
    case "running":
    case "starting":
    case "rebooting":
      return "running";
    case "stopped":
    case "stopping":
      return "stopped";
    default:
      return null;
  }
}

/** True when both sides have a settled state and they differ. */
export function isDrift(known: VmStatus, observed: InstanceState): boolean {
  const expected = settledState(known);
  const actual = settledState(observed);
  return expected !== null && actual !== null && expected !== actual;
}

/** The power action that puts a VM back where the bot last knew it. */
export function revertActionFor(expected: VmStatus): "start" | "stop" | null {
  const settled = settledState(expected);
  return settled === "running" ? "start" : settled === "stopped" ? "stop" : null;
}

export const DRIFT_POLICIES = ["notify", "correct"] as const;
export type DriftPolicy = (typeof DRIFT_POLICIES)[number];

/** The dedupe key of one drift episode's notification to one reader; `driftKeyPrefix` finds all of them. */
export function driftKeyPrefix(vmId: number): string {
  return `drift:${vmId}:`;
}

export function driftKey(vmId: number, detectedAt: Date, userId: number): string {
  return `${driftKeyPrefix(vmId)}${detectedAt.getTime()}:${userId}`;
}
