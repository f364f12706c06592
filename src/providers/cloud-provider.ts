// What the bot needs from a cloud. Each adapter (simulator, aws, azure, gcp, oci) speaks its own
// vocabulary inside and maps it onto these shapes, so services never see a provider's SDK.

export const PROVIDER_KINDS = ["aws", "azure", "gcp", "oci", "simulator"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** The bot's view of a machine's power state, whatever the provider calls it. */
export type InstanceState = "running" | "stopped" | "starting" | "stopping" | "rebooting" | "error" | "unknown";

export interface InstanceDetails {
  instanceType?: string;
  cpu?: number;
  memoryGb?: number;
  privateIp?: string;
  publicIp?: string;
  consoleUrl?: string;
  [key: string]: unknown;
}

export interface CloudInstance {
  resourceId: string;
  name: string;
  region: string;
  state: InstanceState;
  /** The provider's own word for the state (e.g. "pending", "VM deallocated"), kept for drift reports. */
  providerState: string;
  /** Why the instance is in `error`, in the provider's words. */
  stateMessage?: string;
  tags: Record<string, string>;
  details: InstanceDetails;
}

export type CloudSnapshotState = "creating" | "available" | "restoring" | "deleting" | "error";

export interface CloudSnapshot {
  snapshotId: string;
  resourceId: string;
  name: string;
  state: CloudSnapshotState;
  sizeGb?: number;
  createdAt: Date;
}

export interface WaitOptions {
  timeoutMs?: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
  onPoll?: (instance: CloudInstance) => void;
}

/** One machine's answer inside a batch call. */
export type BatchResult = { resourceId: string; ok: true } | { resourceId: string; ok: false; error: CloudProviderError };

/** Power actions that clouds accept for many machines in one call. */
export type PowerAction = "start" | "stop" | "reboot";

/**
 * Resource ids are the provider's own fully qualified ids, so an id alone says where the machine is:
 * an EC2 instance ARN, an Azure ARM resource id, a GCP `projects/p/zones/z/instances/n` path, an OCI OCID.
 */
export interface CloudProvider {
  readonly kind: ProviderKind;
  listInstances(): Promise<CloudInstance[]>;
  describeInstance(resourceId: string): Promise<CloudInstance>;
  /**
   * Many machines at once, one answer per id in the order given (a missing machine is an
   * InstanceNotFoundError answer, not a throw). Adapters send one call per account and region.
   */
  describeInstances(resourceIds: string[]): Promise<(CloudInstance | CloudProviderError)[]>;
  /**
   * Starts, stops or reboots many machines, one call per account and region where the API takes many
   * ids; one result per id in the order given. Only a failure of the whole request throws.
   */
  powerInstances(action: PowerAction, resourceIds: string[]): Promise<BatchResult[]>;
  startInstance(resourceId: string): Promise<void>;
  stopInstance(resourceId: string): Promise<void>;
  rebootInstance(resourceId: string): Promise<void>;
  createSnapshot(resourceId: string, name: string): Promise<CloudSnapshot>;
  listSnapshots(resourceId: string): Promise<CloudSnapshot[]>;
  describeSnapshot(snapshotId: string): Promise<CloudSnapshot>;
  deleteSnapshot(snapshotId: string): Promise<void>;
  /** Restores the instance's disks from a snapshot; the instance must be stopped. */
  restoreSnapshot(resourceId: string, snapshotId: string): Promise<void>;
  /** Polls until the instance settles in `target` or fails; resolves with the final description. */
  waitForState(resourceId: string, target: InstanceState, options?: WaitOptions): Promise<CloudInstance>;
}

/** A provider refused or failed an operation; `message` is the provider's own explanation. */
export class CloudProviderError extends Error {
  constructor(
    readonly provider: ProviderKind,
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = "CloudProviderError";
  }
}

export class InstanceNotFoundError extends CloudProviderError {
  constructor(provider: ProviderKind, resourceId: string) {
    super(provider, "NotFound", `Instance ${resourceId} was not found`);
    this.name = "InstanceNotFoundError";
  }
}

export class ThrottledError extends CloudProviderError {
  readonly retryAfterMs?: number;

  constructor(
    provider: ProviderKind,
    message = "Request rate exceeded",
    /** `code`: the cloud's own word for it (e.g. EC2 `RequestLimitExceeded`), kept for the audit;
     *  `retryAfterMs`: how long the cloud asked us to wait (HTTP `Retry-After`), when it said. */
    details: { code?: string; retryAfterMs?: number } = {},
  ) {
    super(provider, details.code ?? "Throttled", message, true);
    this.retryAfterMs = details.retryAfterMs;
    this.name = "ThrottledError";
  }
}

export class WaitTimeoutError extends CloudProviderError {
  constructor(provider: ProviderKind, resourceId: string, target: InstanceState, last: InstanceState) {
    super(provider, "WaitTimeout", `Instance ${resourceId} did not reach ${target} in time (last seen ${last})`);
    this.name = "WaitTimeoutError";
  }
}

/** Looks up the adapter for a VM's provider; services receive one of these. */
export interface ProviderRegistry {
  get(kind: ProviderKind): CloudProvider;
  kinds(): ProviderKind[];
}
