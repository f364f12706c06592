// CloudProvider on OCI Core through oci-core (ComputeClient, BlockstorageClient), one pair of clients per
// region. InstanceAction takes one instance, so batches are per-instance calls run concurrently
// (bounded). After an action the instance must reach the target lifecycle state; snapshots are boot
// volume backups, and restore is a new boot volume from the backup swapped in by boot volume replacement.
import * as common from "oci-common";
import { BlockstorageClient, ComputeClient, type models } from "oci-core";
import pLimit from "p-limit";
import {
  CloudProviderError,
  WaitTimeoutError,
  type BatchResult,
  type CloudInstance,
  type CloudProvider,
  type CloudSnapshot,
  type CloudSnapshotState,
  type InstanceState,
  type PowerAction,
  type WaitOptions,
} from "../cloud-provider.js";
import { describeEach, powerEach } from "../per-instance-batch.js";
import { pollForState, realSleep, waitUntil, type PollClock } from "../wait-until.js";
import { toOciError } from "./oci-errors.js";
import { toCloudInstance } from "./oci-instances.js";
import { OCI_DEFAULTS, type OciProviderOptions, type OciStopMode, type Pace } from "./oci-options.js";
import { parseOcid } from "./ocids.js";

/** Freeform tags on the backups the adapter makes, so they are found again after the boot volume changed. */
export const SOURCE_INSTANCE_TAG = "vm-lifecycle-source-instance";

interface RegionClients {
  compute: ComputeClient;
  blockstorage: BlockstorageClient;
}

export class OciProvider implements CloudProvider {
  readonly kind = "oci" as const;
  private readonly clients = new Map<string, Promise<RegionClients>>();
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly clock: PollClock;
  private readonly pace: Pace;
  private readonly settings: typeof OCI_DEFAULTS;
  private readonly regions: Set<string>;

  constructor(
    private readonly options: OciProviderOptions,
    private readonly authentication: () => Promise<common.AuthenticationDetailsProvider>,
  ) {
    this.settings = {
      discoveryTag: options.discoveryTag ?? OCI_DEFAULTS.discoveryTag,
      stopMode: options.stopMode ?? OCI_DEFAULTS.stopMode,
      maxConcurrency: options.maxConcurrency ?? OCI_DEFAULTS.maxConcurrency,
      pollIntervalMs: options.pollIntervalMs ?? OCI_DEFAULTS.pollIntervalMs,
      verifyTimeoutMs: options.verifyTimeoutMs ?? OCI_DEFAULTS.verifyTimeoutMs,
      restoreStepTimeoutMs: options.restoreStepTimeoutMs ?? OCI_DEFAULTS.restoreStepTimeoutMs,
    };
    this.regions = new Set(options.regions);
    this.limit = pLimit(this.settings.maxConcurrency);
    this.clock = options.clock ?? { now: () => new Date(), sleep: realSleep };
    this.pace = options.pace ?? ((_key, call) => call());
  }

  async listInstances(): Promise<CloudInstance[]> {
    const scopes = this.options.regions.flatMap((region) => this.options.compartments.map((compartmentId) => ({ region, compartmentId })));
    const found = await Promise.all(scopes.map(({ region, compartmentId }) => this.listCompartment(region, compartmentId)));
    return found.flat();
  }

  /** The managed instances of a compartment; the tag filter is client-side, ListInstances has none. */
  private async listCompartment(region: string, compartmentId: string): Promise<CloudInstance[]> {
    const { key, value } = this.settings.discoveryTag;
    return (await this.pageCompartment(region, compartmentId))
      .filter((instance) => instance.freeformTags?.[key] === value && instance.lifecycleState !== "TERMINATED")
      .map(toCloudInstance);
  }

  /** Every instance of a compartment in a region, page by page (opc-next-page). */
  private async pageCompartment(region: string, compartmentId: string): Promise<models.Instance[]> {
    const { compute } = await this.regionClients(region);
    const instances: models.Instance[] = [];
    let page: string | undefined;
    try {
      do {
        const response = await this.pace(`oci:${region}:read`, () => compute.listInstances({ compartmentId, page }));
        instances.push(...response.items);
        page = response.opcNextPage;
      } while (page);
    } catch (error) {
      throw toOciError(error, { operation: "list the instances of", resourceId: compartmentId });
    }
    return instances;
  }

  async describeInstance(resourceId: string): Promise<CloudInstance> {
    return toCloudInstance(await this.getInstance(resourceId));
  }

  /** OCI has no multi-instance get, and InstanceAction takes one instance: per-VM calls, at most `maxConcurrency` in flight. */
  /**
   * Several machines (the state sync's batch): one paged ListInstances per configured compartment of the regions
   * they are in, then a GET only for a machine not listed there (another compartment, or gone). One machine: a GET.
   */
  async describeInstances(resourceIds: string[]): Promise<(CloudInstance | CloudProviderError)[]> {
    if (resourceIds.length <= 1) return describeEach(this, resourceIds, this.perInstance);
    const regions = new Set<string>();
    for (const resourceId of resourceIds) {
      try {
        const { region } = parseOcid(resourceId, "instance");
        if (this.regions.has(region)) regions.add(region);
      } catch {
        // Not an instance OCID: its own GET below answers for it.
      }
    }
    const listed = new Map<string, CloudInstance>();
    const scopes = [...regions].flatMap((region) => this.options.compartments.map((compartmentId) => ({ region, compartmentId })));
    const pages = await Promise.allSettled(scopes.map(({ region, compartmentId }) => this.pageCompartment(region, compartmentId)));
    for (const result of pages) if (result.status === "fulfilled") for (const instance of result.value) listed.set(instance.id, toCloudInstance(instance));
    const unlisted = resourceIds.filter((resourceId) => !listed.has(resourceId));
    const described = new Map(unlisted.map((resourceId, index) => [resourceId, index]));
    const answers = await describeEach(this, unlisted, this.perInstance);
    return resourceIds.map((resourceId) => listed.get(resourceId) ?? answers[described.get(resourceId)!]!);
  }

  powerInstances(action: PowerAction, resourceIds: string[]): Promise<BatchResult[]> {
    return powerEach(this, action, resourceIds, this.perInstance);
  }

  private get perInstance() {
    return { limit: this.limit, asError: (error: unknown, operation: string, resourceId: string) => toOciError(error, { operation, resourceId, isInstance: true }) };
  }

  async startInstance(resourceId: string): Promise<void> {
    await this.instanceAction(resourceId, "START", "start");
    await this.verify(resourceId, "running", "start");
  }

  async stopInstance(resourceId: string): Promise<void> {
    await this.stopWith(resourceId, this.settings.stopMode);
  }

  private async stopWith(resourceId: string, mode: OciStopMode): Promise<void> {
    await this.instanceAction(resourceId, mode, "stop");
    await this.verify(resourceId, "stopped", "stop");
  }

  /** SOFTRESET: the OS is asked to restart (ACPI), then the instance is power-cycled if it does not. */
  async rebootInstance(resourceId: string): Promise<void> {
    await this.instanceAction(resourceId, "SOFTRESET", "reboot");
    await this.verify(resourceId, "running", "reboot");
  }

  /** A backup of the instance's boot volume, tagged with the instance. */
  async createSnapshot(resourceId: string, name: string): Promise<CloudSnapshot> {
    const instance = await this.getInstance(resourceId);
    const bootVolumeId = await this.attachedBootVolume(instance);
    const { region } = parseOcid(resourceId, "instance");
    const { blockstorage } = await this.regionClients(region);
    try {
      const { bootVolumeBackup } = await this.pace(`oci:${region}:write`, () =>
        blockstorage.createBootVolumeBackup({
          createBootVolumeBackupDetails: { bootVolumeId, displayName: name, freeformTags: { [SOURCE_INSTANCE_TAG]: resourceId } },
        }),
      );
      return toCloudSnapshot(bootVolumeBackup);
    } catch (error) {
      throw toOciError(error, { operation: "back up the boot volume of", resourceId });
    }
  }

  async listSnapshots(resourceId: string): Promise<CloudSnapshot[]> {
    const instance = await this.getInstance(resourceId);
    const { region } = parseOcid(resourceId, "instance");
    const { blockstorage } = await this.regionClients(region);
    const backups: models.BootVolumeBackup[] = [];
    let page: string | undefined;
    try {
      do {
        const response = await this.pace(`oci:${region}:read`, () => blockstorage.listBootVolumeBackups({ compartmentId: instance.compartmentId, page }));
        backups.push(...response.items);
        page = response.opcNextPage;
      } while (page);
    } catch (error) {
      throw toOciError(error, { operation: "list the backups of", resourceId });
    }
    return backups
      .filter((backup) => backup.freeformTags?.[SOURCE_INSTANCE_TAG] === resourceId && backup.lifecycleState !== "TERMINATED")
      .map(toCloudSnapshot);
  }

  async describeSnapshot(snapshotId: string): Promise<CloudSnapshot> {
    const { region } = parseOcid(snapshotId, "bootvolumebackup");
    const { blockstorage } = await this.regionClients(region);
    try {
      const { bootVolumeBackup } = await this.pace(`oci:${region}:read`, () => blockstorage.getBootVolumeBackup({ bootVolumeBackupId: snapshotId }));
      if (bootVolumeBackup.lifecycleState === "TERMINATED") {
        throw new CloudProviderError("oci", "NotAuthorizedOrNotFound", `Boot volume backup ${snapshotId} was deleted`);
      }
      return toCloudSnapshot(bootVolumeBackup);
    } catch (error) {
      throw toOciError(error, { operation: "describe", resourceId: snapshotId });
    }
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    const { region } = parseOcid(snapshotId, "bootvolumebackup");
    const { blockstorage } = await this.regionClients(region);
    try {
      await this.pace(`oci:${region}:write`, () => blockstorage.deleteBootVolumeBackup({ bootVolumeBackupId: snapshotId }));
    } catch (error) {
      throw toOciError(error, { operation: "delete", resourceId: snapshotId });
    }
  }

  /**
   * A new boot volume from the backup replaces the instance's boot volume (UpdateInstance with
   * `sourceDetails` of type bootVolume; the old volume is preserved, detached). A running instance is
   * stopped first and started again after, so it ends in the state it had.
   */
  async restoreSnapshot(resourceId: string, snapshotId: string): Promise<void> {
    const instance = await this.getInstance(resourceId);
    const prior = toCloudInstance(instance).state;
    const { region } = parseOcid(resourceId, "instance");
    if (parseOcid(snapshotId, "bootvolumebackup").region !== region) {
      throw new CloudProviderError("oci", "CrossRegionRestore", `Backup ${snapshotId} is not in ${region}, the instance's region`);
    }
    const backup = await this.describeSnapshot(snapshotId);
    if (backup.state !== "available") {
      throw new CloudProviderError("oci", "SnapshotNotReady", `Backup ${backup.name} is ${backup.state}; restore needs it available`);
    }
    const wasRunning = prior === "running" || prior === "starting";
    if (wasRunning) await this.stopWith(resourceId, this.settings.stopMode);
    else if (prior !== "stopped") throw new CloudProviderError("oci", "IncorrectState", `${instance.displayName} is ${instance.lifecycleState}; restore needs it running or stopped`);
    try {
      await this.replaceBootVolume(instance, snapshotId);
    } catch (error) {
      // The replacement failed: the instance still has its old boot volume, so put it back the way it was.
      if (wasRunning) await this.startInstance(resourceId).catch(() => undefined);
      throw error;
    }
    if (wasRunning) await this.startInstance(resourceId);
  }

  private async replaceBootVolume(instance: models.Instance, snapshotId: string): Promise<void> {
    const resourceId = instance.id;
    const { region } = parseOcid(resourceId, "instance");
    const { compute, blockstorage } = await this.regionClients(region);
    const step = { timeoutMs: this.settings.restoreStepTimeoutMs, pollIntervalMs: this.settings.pollIntervalMs };
    try {
      const { bootVolume } = await this.pace(`oci:${region}:write`, () =>
        blockstorage.createBootVolume({
          createBootVolumeDetails: {
            availabilityDomain: instance.availabilityDomain,
            compartmentId: instance.compartmentId,
            displayName: `${instance.displayName ?? "instance"}-restored`,
            sourceDetails: { type: "bootVolumeBackup", id: snapshotId },
          },
        }),
      );
      await waitUntil(
        () => this.pace(`oci:${region}:read`, () => blockstorage.getBootVolume({ bootVolumeId: bootVolume.id })),
        ({ bootVolume: seen }) => failIfFaulty(seen.lifecycleState, "the new boot volume") === "AVAILABLE",
        { ...step, timedOut: () => ociTimedOut(`boot volume ${bootVolume.id} becoming available`, step.timeoutMs) },
        this.clock,
      );
      const replacement: models.UpdateInstanceSourceViaBootVolumeDetails = {
        sourceType: "bootVolume",
        bootVolumeId: bootVolume.id,
        isPreserveBootVolumeEnabled: true,
      };
      await this.pace(`oci:${region}:write`, () => compute.updateInstance({ instanceId: resourceId, updateInstanceDetails: { sourceDetails: replacement } }));
      await waitUntil(
        () => this.bootVolumeAttachments(instance),
        (attachments) => attachments.some((attachment) => attachment.bootVolumeId === bootVolume.id && attachment.lifecycleState === "ATTACHED"),
        { ...step, timedOut: () => ociTimedOut(`boot volume ${bootVolume.id} replacing the boot volume of ${instance.displayName}`, step.timeoutMs) },
        this.clock,
      );
    } catch (error) {
      throw toOciError(error, { operation: "restore", resourceId });
    }
  }

  waitForState(resourceId: string, target: InstanceState, options: WaitOptions = {}): Promise<CloudInstance> {
    return pollForState(
      this,
      resourceId,
      target,
      { timeoutMs: this.settings.verifyTimeoutMs, pollIntervalMs: this.settings.pollIntervalMs, ...options },
      this.clock,
    );
  }

  private async instanceAction(resourceId: string, action: string, operation: PowerAction): Promise<void> {
    const { region } = parseOcid(resourceId, "instance");
    const { compute } = await this.regionClients(region);
    try {
      await this.pace(`oci:${region}:write`, () => compute.instanceAction({ instanceId: resourceId, action }));
    } catch (error) {
      throw toOciError(error, { operation, resourceId, isInstance: true });
    }
  }

  /** OCI accepted the action; the instance must now reach the target, else the action failed. */
  private async verify(resourceId: string, target: InstanceState, action: PowerAction): Promise<void> {
    let settled: CloudInstance;
    try {
      settled = await this.waitForState(resourceId, target);
    } catch (error) {
      if (!(error instanceof WaitTimeoutError)) throw error;
      const last = await this.describeInstance(resourceId);
      throw new CloudProviderError(
        "oci",
        "TargetStateNotReached",
        `OCI accepted the ${action} of ${last.name} but it is still ${last.providerState}; its work requests in the console say why`,
      );
    }
    if (settled.state !== target) {
      throw new CloudProviderError("oci", settled.providerState, `OCI accepted the ${action} of ${settled.name} but it is ${settled.providerState}`);
    }
  }

  private async getInstance(resourceId: string): Promise<models.Instance> {
    const { region } = parseOcid(resourceId, "instance");
    const { compute } = await this.regionClients(region);
    try {
      const { instance } = await this.pace(`oci:${region}:read`, () => compute.getInstance({ instanceId: resourceId }));
      return instance;
    } catch (error) {
      throw toOciError(error, { operation: "describe", resourceId, isInstance: true });
    }
  }

  private async bootVolumeAttachments(instance: models.Instance): Promise<models.BootVolumeAttachment[]> {
    const { region } = parseOcid(instance.id, "instance");
    const { compute } = await this.regionClients(region);
    const { items } = await this.pace(`oci:${region}:read`, () =>
      compute.listBootVolumeAttachments({ availabilityDomain: instance.availabilityDomain, compartmentId: instance.compartmentId, instanceId: instance.id }),
    );
    return items;
  }

  private async attachedBootVolume(instance: models.Instance): Promise<string> {
    try {
      const attached = (await this.bootVolumeAttachments(instance)).find((attachment) => attachment.lifecycleState === "ATTACHED");
      if (!attached) throw new CloudProviderError("oci", "NoBootVolume", `${instance.displayName} has no attached boot volume`);
      return attached.bootVolumeId;
    } catch (error) {
      throw toOciError(error, { operation: "find the boot volume of", resourceId: instance.id });
    }
  }

  private regionClients(region: string): Promise<RegionClients> {
    if (!this.regions.has(region)) {
      return Promise.reject(new CloudProviderError("oci", "RegionNotConfigured", `Region ${region} is not in the bot's OCI configuration`));
    }
    let clients = this.clients.get(region);
    if (!clients) {
      clients = this.buildClients(region);
      this.clients.set(region, clients);
    }
    return clients;
  }

  private async buildClients(region: string): Promise<RegionClients> {
    const authenticationDetailsProvider = await this.authentication();
    // Throttling is retried once, by RetryingProvider; the SDK's own retries and circuit breaker are off.
    const configuration: common.ClientConfiguration = {
      retryConfiguration: common.NoRetryConfigurationDetails,
      circuitBreaker: { noCircuit: true } as common.CircuitBreaker,
    };
    const compute = new ComputeClient({ authenticationDetailsProvider }, configuration);
    const blockstorage = new BlockstorageClient({ authenticationDetailsProvider }, configuration);
    const endpoint = this.options.endpoints?.[region];
    for (const client of [compute, blockstorage]) {
      if (endpoint) client.endpoint = endpoint;
      else client.regionId = region;
    }
    return { compute, blockstorage };
  }
}

const BACKUP_STATES: Record<string, CloudSnapshotState> = {
  REQUEST_RECEIVED: "creating",
  CREATING: "creating",
  AVAILABLE: "available",
  TERMINATING: "deleting",
  TERMINATED: "deleting",
  FAULTY: "error",
};

function toCloudSnapshot(backup: models.BootVolumeBackup): CloudSnapshot {
  return {
    snapshotId: backup.id,
    resourceId: backup.freeformTags?.[SOURCE_INSTANCE_TAG] ?? "",
    name: backup.displayName,
    state: BACKUP_STATES[backup.lifecycleState] ?? "creating",
    sizeGb: backup.sizeInGBs,
    createdAt: new Date(backup.timeCreated),
  };
}

function failIfFaulty(state: string, what: string): string {
  if (state === "FAULTY" || state === "TERMINATED") throw new CloudProviderError("oci", state, `OCI reports ${what} as ${state}`);
  return state;
}

function ociTimedOut(what: string, timeoutMs: number): CloudProviderError {
  return new CloudProviderError("oci", "WaitTimeout", `OCI did not finish: ${what} (waited ${Math.round(timeoutMs / 1000)} s)`);
}
