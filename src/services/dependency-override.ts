// A global admin may act against an environment's dependencies (start a VM whose dependencies are down,
// force a stop, start an environment all at once), with a reason the audit keeps.
import { ValidationError } from "./errors.js";

export interface DependencyOverride {
  reason: string;
}

/** Overrides need a reason someone can read later. */
export const MIN_OVERRIDE_REASON = 10;

export function requireOverrideReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < MIN_OVERRIDE_REASON) throw new ValidationError(`Give a reason of at least ${MIN_OVERRIDE_REASON} characters.`);
  return trimmed;
}
