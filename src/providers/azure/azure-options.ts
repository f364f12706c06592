// What createAzureProvider needs: where to look (subscriptions, resource groups, locations), how to stop,
// and the seams tests and the composition root plug into (credential, endpoint, clock, pacer).
import type { TokenCredential } from "@azure/identity";
import type { ComputeManagementClientOptionalParams } from "@azure/arm-compute";
import type { PollClock } from "../wait-until.js";

/** Paces calls that share a rate bucket (`key`); the shared request pacer plugs in here. */
export type Pace = <T>(key: string, call: () => Promise<T>) => Promise<T>;

/**
 * `deallocate` (the default) releases the VM's compute so billing for it stops;
 * `powerOff` only stops the guest and the VM keeps being billed (faster to start again).
 */
export type AzureStopMode = "deallocate" | "powerOff";

export interface AzureSubscriptionScope {
  subscriptionId: string;
  /** Only these resource groups are listed (default: the whole subscription). */
  resourceGroups?: string[];
  /** Only VMs in these locations are listed (default: all), e.g. "westeurope". */
  locations?: string[];
}

export interface AzureProviderOptions {
  subscriptions: AzureSubscriptionScope[];
  /** VMs carrying this tag are the ones the bot discovers (default managed-by=vm-lifecycle). */
  discoveryTag?: { key: string; value: string };
  stopMode?: AzureStopMode;
  /** Default: DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI, ...). */
  credential?: TokenCredential;
  /** ARM endpoint override (tests point this at the local fake). */
  endpoint?: string;
  /** Extra SDK client options (tests pass an https agent trusting the fake's certificate). */
  clientOptions?: Omit<ComputeManagementClientOptionalParams, "endpoint">;
  /** Per-VM calls in flight at once (ARM has no multi-VM start/stop). Default 8. */
  maxConcurrency?: number;
  /** Between looks at the instance view while verifying a power state (on `clock`). Default 5 s. */
  pollIntervalMs?: number;
  /** Between polls of a long-running operation when ARM sends no Retry-After (SDK timer). Default 2 s. */
  operationPollIntervalMs?: number;
  /** Bound on one long-running operation (start, deallocate, disk copy...). Default 15 min. */
  operationTimeoutMs?: number;
  /** Bound on waiting for the instance view to show the target power state afterwards. Default 5 min. */
  verifyTimeoutMs?: number;
  clock?: PollClock;
  pace?: Pace;
}

export const AZURE_DEFAULTS = {
  discoveryTag: { key: "managed-by", value: "vm-lifecycle" },
  stopMode: "deallocate" as AzureStopMode,
  maxConcurrency: 8,
  pollIntervalMs: 5_000,
  operationPollIntervalMs: 2_000,
  operationTimeoutMs: 15 * 60_000,
  verifyTimeoutMs: 5 * 60_000,
};
