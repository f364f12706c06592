// SimulatedInstance has one JSON column; it holds the machine's details plus the simulator's own
// bookkeeping (tags, injected faults), which are split off again before anything leaves the simulator.
import type { InstanceDetails } from "../cloud-provider.js";
import type { FaultOperation } from "./simulated-state.js";

/** A fault as stored: a bare message fails every time; `once` fails only the next attempt. */
export type StoredFault = string | { message: string; once?: boolean };

export type FaultTable = Partial<Record<FaultOperation, StoredFault>>;

export interface StoredDetails {
  details: InstanceDetails;
  tags: Record<string, string>;
  faults: FaultTable;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readStoredDetails(json: unknown): StoredDetails {
  if (!isRecord(json)) return { details: {}, tags: {}, faults: {} };
  const { tags, faults, ...details } = json;
  return {
    details,
    tags: isRecord(tags) ? Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, String(value)])) : {},
    faults: isRecord(faults) ? (faults as FaultTable) : {},
  };
}

export function writeStoredDetails({ details, tags, faults }: StoredDetails): Record<string, unknown> {
  return Object.keys(faults).length ? { ...details, tags, faults } : { ...details, tags };
}

export interface TriggeredFault {
  message: string;
  /** The fault table after this attempt (a `once` fault is used up). */
  remaining: FaultTable;
}

/** The fault injected into `operation`, if any. */
export function triggerFault(faults: FaultTable, operation: FaultOperation): TriggeredFault | undefined {
  const fault = faults[operation];
  if (fault === undefined) return undefined;
  if (typeof fault === "string") return { message: fault, remaining: faults };
  if (!fault.once) return { message: fault.message, remaining: faults };
  const { [operation]: _used, ...remaining } = faults;
  return { message: fault.message, remaining };
}

export function diskSizeGb(details: InstanceDetails): number {
  const size = Number(details.diskGb);
  return Number.isFinite(size) && size > 0 ? Math.round(size) : 30;
}
