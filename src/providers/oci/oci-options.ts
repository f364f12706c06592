// What createOciProvider needs: where to look (compartments x regions), how to stop, and the seams tests
// and the composition root plug into (auth provider, endpoints, clock, pacer).
import type * as common from "oci-common";
import type { OciAuthChoice } from "./oci-auth.js";
import type { PollClock } from "../wait-until.js";

/** Paces calls that share a rate bucket (`key`); the shared request pacer plugs in here. */
export type Pace = <T>(key: string, call: () => Promise<T>) => Promise<T>;

/** SOFTSTOP (default) asks the OS to shut down (ACPI), then powers off; STOP powers off at once. */
export type OciStopMode = "SOFTSTOP" | "STOP";

export interface OciProviderOptions {
  /** Compartment OCIDs whose instances are listed. */
  compartments: string[];
  /** Region ids, e.g. "us-ashburn-1"; each compartment is listed in each region. */
  regions: string[];
  /** Instances carrying this freeform tag are the ones the bot discovers (default managed-by=vm-lifecycle). */
  discoveryTag?: { key: string; value: string };
  stopMode?: OciStopMode;
  /**
   * Default: the standard chain: the OCI config file (`OCI_CONFIG_FILE` or ~/.oci/config, profile
   * `OCI_CONFIG_PROFILE` or DEFAULT), else instance principals. Tests pass a SimpleAuthenticationDetailsProvider.
   */
  authenticationDetailsProvider?: common.AuthenticationDetailsProvider;
  /** Which standard credential source to use when no provider is given (clouds.yml `auth`, `profile`). */
  authentication?: OciAuthChoice;
  /** Region id -> endpoint override (tests point these at the local fake). */
  endpoints?: Record<string, string>;
  /** Instances acted on at once (OCI's InstanceAction takes one instance). Default 8. */
  maxConcurrency?: number;
  /** Between looks at an instance, a volume or an attachment (on `clock`). Default 5 s. */
  pollIntervalMs?: number;
  /** Bound on waiting for an instance to reach its target state. Default 10 min. */
  verifyTimeoutMs?: number;
  /** Bound on each step of a restore (new boot volume available, replacement attached). Default 30 min. */
  restoreStepTimeoutMs?: number;
  clock?: PollClock;
  pace?: Pace;
}

export const OCI_DEFAULTS = {
  discoveryTag: { key: "managed-by", value: "vm-lifecycle" },
  stopMode: "SOFTSTOP" as OciStopMode,
  maxConcurrency: 8,
  pollIntervalMs: 5_000,
  verifyTimeoutMs: 10 * 60_000,
  restoreStepTimeoutMs: 30 * 60_000,
};
