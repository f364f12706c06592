// CloudProvider on Azure Resource Manager through @azure/arm-compute. ARM has no multi-VM start/stop,
// so batches are per-VM calls run concurrently (bounded), with one SDK client per subscription.
// Long-running operations go through the SDK's pollers (they follow Azure-AsyncOperation / Location
// and honour the poll Retry-After); after a power call the instance view must show the target state.
import { ComputeManagementClient, type VirtualMachine } from "@azure/arm-compute";
import type { TokenCredential } from "@azure/identity";
import pLimit from "p-limit";
import {
  CloudProviderError,
  InstanceNotFoundError,
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
import { pollForState, realSleep, type PollClock } from "../wait-until.js";
import { formatArmId, parseArmId, sameArmId, type ArmResourceId } from "./arm-ids.js";
import { toAzureError } from "./azure-errors.js";
import { hasTag, latestReason, toCloudInstance } from "./azure-instances.js";
import { AZURE_DEFAULTS, type AzureProviderOptions, type AzureStopMode, type AzureSubscriptionScope, type Pace } from "./azure-options.js";

/** Tags the adapter puts on the snapshots it makes, so they are found again after the OS disk changed. */
export const SOURCE_VM_TAG = "vm-lifecycle-source-vm";
export const SNAPSHOT_NAME_TAG = "vm-lifecycle-snapshot-name";

/** Something the SDK started that the poller drives to its end (PollerLike from @azure/core-lro). */
interface Operation<T> {
  submitted(): Promise<void>;
  pollUntilDone(options?: { abortSignal?: AbortSignal }): Promise<T>;
}

export class AzureProvider implements CloudProvider {
  readonly kind = "azure" as const;
  private readonly clients = new Map<string, ComputeManagementClient>();
  private readonly scopes: Map<string, AzureSubscriptionScope>;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly clock: PollClock;
  private readonly pace: Pace;
  private readonly settings: typeof AZURE_DEFAULTS;

  constructor(
    private readonly options: AzureProviderOptions,
    private readonly credential: TokenCredential,
  ) {
    this.scopes = new Map(options.subscriptions.map((scope) => [scope.subscriptionId.toLowerCase(), scope]));
    this.settings = {
      discoveryTag: options.discoveryTag ?? AZURE_DEFAULTS.discoveryTag,
      stopMode: options.stopMode ?? AZURE_DEFAULTS.stopMode,
      maxConcurrency: options.maxConcurrency ?? AZURE_DEFAULTS.maxConcurrency,
      pollIntervalMs: options.pollIntervalMs ?? AZURE_DEFAULTS.pollIntervalMs,
      operationPollIntervalMs: options.operationPollIntervalMs ?? AZURE_DEFAULTS.operationPollIntervalMs,
      operationTimeoutMs: options.operationTimeoutMs ?? AZURE_DEFAULTS.operationTimeoutMs,
      verifyTimeoutMs: options.verifyTimeoutMs ?? AZURE_DEFAULTS.verifyTimeoutMs,
    };
    this.limit = pLimit(this.settings.maxConcurrency);
    this.clock = options.clock ?? { now: () => new Date(), sleep: realSleep };
    this.pace = options.pace ?? ((_key, call) => call());
  }

  async listInstances(): Promise<CloudInstance[]> {
    const found = await Promise.all(this.options.subscriptions.map((scope) => this.listSubscription(scope)));
    return found.flat();
  }

  /**
   * Two paged reads per subscription: the VM models (tags, size, disks) and, with statusOnly, every VM's
   * instance view (power state); joined by id. Tag filtering is client-side: ARM has no tag filter here.
   */
  private async listSubscription(scope: AzureSubscriptionScope): Promise<CloudInstance[]> {
    const client = this.client(scope.subscriptionId);
    const read = `azure:${scope.subscriptionId}:read`;
    const [models, statuses] = await Promise.all([
      this.pace(read, () => collect(client.virtualMachines.listAll())),
      this.pace(read, () => collect(client.virtualMachines.listAll({ statusOnly: "true" }))),
    ]).catch((error: unknown) => {
      throw toAzureError(error, { operation: "list the VMs of", resourceId: `/subscriptions/${scope.subscriptionId}` });
    });
    const views = new Map(statuses.map((vm) => [vm.id?.toLowerCase(), vm.instanceView]));
    const groups = scope.resourceGroups?.map((group) => group.toLowerCase());
    const locations = scope.locations?.map((location) => location.toLowerCase());
    return models
      .filter((vm) => hasTag(vm.tags, this.settings.discoveryTag))
      .filter((vm) => !groups || groups.includes(parseArmId(vm.id ?? "", "virtualMachines").resourceGroup.toLowerCase()))
      .filter((vm) => !locations || locations.includes(vm.location.toLowerCase()))
      .map((vm) => toCloudInstance(vm, views.get(vm.id?.toLowerCase())));
  }

  async describeInstance(resourceId: string): Promise<CloudInstance> {
    const vm = await this.getVm(resourceId);
    return toCloudInstance(vm, vm.instanceView);
  }

  /** ARM has no multi-VM get or start/stop/restart: per-VM calls, at most `maxConcurrency` in flight. */
  /**
   * Several VMs of one configured subscription: its two paged list reads (models, and statusOnly instance
   * views), the asked ones picked from them, the others NotFound; a lone VM, or an unconfigured subscription:
   * per-VM GETs (bounded).
   */
  async describeInstances(resourceIds: string[]): Promise<(CloudInstance | CloudProviderError)[]> {
    const answers = new Map<string, CloudInstance | CloudProviderError>();
    const bySubscription = new Map<string, string[]>();
    const single: string[] = [];
    for (const resourceId of resourceIds) {
      const subscriptionId = /^\/subscriptions\/([^/]+)\//i.exec(resourceId)?.[1]?.toLowerCase();
      const scope = subscriptionId ? this.options.subscriptions.find((candidate) => candidate.subscriptionId.toLowerCase() === subscriptionId) : undefined;
      if (scope) bySubscription.set(scope.subscriptionId, [...(bySubscription.get(scope.subscriptionId) ?? []), resourceId]);
      else single.push(resourceId);
    }
    for (const ids of bySubscription.values()) if (ids.length === 1) single.push(...ids.splice(0));
    await Promise.all(
      [...bySubscription].filter(([, ids]) => ids.length).map(async ([subscriptionId, ids]) => {
        const listed = new Map((await this.readSubscription(subscriptionId)).map((instance) => [instance.resourceId.toLowerCase(), instance]));
        for (const id of ids) answers.set(id, listed.get(id.toLowerCase()) ?? new InstanceNotFoundError("azure", id));
      }),
    );
    const described = await describeEach(this, single, this.perInstance);
    single.forEach((id, index) => answers.set(id, described[index]!));
    return resourceIds.map((resourceId) => answers.get(resourceId)!);
  }

  /** Every VM of a subscription with its power state, unfiltered: the two paged list reads, joined by id. */
  private async readSubscription(subscriptionId: string): Promise<CloudInstance[]> {
    const client = this.client(subscriptionId);
    const read = `azure:${subscriptionId}:read`;
    const [models, statuses] = await Promise.all([
      this.pace(read, () => collect(client.virtualMachines.listAll())),
      this.pace(read, () => collect(client.virtualMachines.listAll({ statusOnly: "true" }))),
    ]).catch((error: unknown) => {
      throw toAzureError(error, { operation: "list the VMs of", resourceId: `/subscriptions/${subscriptionId}` });
    });
    const views = new Map(statuses.map((vm) => [vm.id?.toLowerCase(), vm.instanceView]));
    return models.map((vm) => toCloudInstance(vm, views.get(vm.id?.toLowerCase())));
  }

  powerInstances(action: PowerAction, resourceIds: string[]): Promise<BatchResult[]> {
    return powerEach(this, action, resourceIds, this.perInstance);
  }

  private get perInstance() {
    return { limit: this.limit, asError: (error: unknown, operation: string, resourceId: string) => toAzureError(error, { operation, resourceId, isInstance: true }) };
  }

  async startInstance(resourceId: string): Promise<void> {
    const id = parseArmId(resourceId, "virtualMachines");
    await this.runOperation(id, "start", () => this.client(id.subscriptionId).virtualMachines.start(id.resourceGroup, id.name, this.lroOptions()));
    await this.verify(resourceId, "running", "start");
  }

  async stopInstance(resourceId: string): Promise<void> {
    await this.stopWith(resourceId, this.settings.stopMode);
  }

  private async stopWith(resourceId: string, mode: AzureStopMode): Promise<void> {
    const id = parseArmId(resourceId, "virtualMachines");
    const vms = this.client(id.subscriptionId).virtualMachines;
    await this.runOperation(id, "stop", () =>
      mode === "deallocate" ? vms.deallocate(id.resourceGroup, id.name, this.lroOptions()) : vms.powerOff(id.resourceGroup, id.name, this.lroOptions()),
    );
    await this.verify(resourceId, "stopped", "stop");
  }

  async rebootInstance(resourceId: string): Promise<void> {
    const id = parseArmId(resourceId, "virtualMachines");
    await this.runOperation(id, "reboot", () => this.client(id.subscriptionId).virtualMachines.restart(id.resourceGroup, id.name, this.lroOptions()));
    await this.verify(resourceId, "running", "reboot");
  }

  /** A snapshot of the VM's OS managed disk, in the VM's resource group and location, tagged with the VM. */
  async createSnapshot(resourceId: string, name: string): Promise<CloudSnapshot> {
    const vm = await this.getVm(resourceId);
    const id = parseArmId(resourceId, "virtualMachines");
    const diskId = vm.storageProfile?.osDisk?.managedDisk?.id;
    if (!diskId) throw new CloudProviderError("azure", "NoManagedOsDisk", `${id.name} has no managed OS disk to snapshot`);
    const snapshotName = armName(`${id.name}-${name}`, this.clock.now());
    const snapshot = await this.runOperation(id, "snapshot", () =>
      this.client(id.subscriptionId).snapshots.createOrUpdate(
        id.resourceGroup,
        snapshotName,
        {
          location: vm.location,
          incremental: true,
          creationData: { createOption: "Copy", sourceResourceId: diskId },
          tags: { [SOURCE_VM_TAG]: resourceId, [SNAPSHOT_NAME_TAG]: name },
        },
        this.lroOptions(),
      ),
    );
    return toCloudSnapshot(snapshot);
  }

  async listSnapshots(resourceId: string): Promise<CloudSnapshot[]> {
    const id = parseArmId(resourceId, "virtualMachines");
    const client = this.client(id.subscriptionId);
    const snapshots = await this.pace(`azure:${id.subscriptionId}:read`, () => collect(client.snapshots.listByResourceGroup(id.resourceGroup))).catch(
      (error: unknown) => {
        throw toAzureError(error, { operation: "list the snapshots of", resourceId });
      },
    );
    return snapshots.filter((snapshot) => sameArmId(snapshot.tags?.[SOURCE_VM_TAG], resourceId)).map(toCloudSnapshot);
  }

  async describeSnapshot(snapshotId: string): Promise<CloudSnapshot> {
    const id = parseArmId(snapshotId, "snapshots");
    const client = this.client(id.subscriptionId);
    try {
      return toCloudSnapshot(await this.pace(`azure:${id.subscriptionId}:read`, () => client.snapshots.get(id.resourceGroup, id.name)));
    } catch (error) {
      throw toAzureError(error, { operation: "describe", resourceId: snapshotId });
    }
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    const id = parseArmId(snapshotId, "snapshots");
    await this.runOperation(id, "delete", () => this.client(id.subscriptionId).snapshots.delete(id.resourceGroup, id.name, this.lroOptions()));
  }

  /**
   * A new managed disk from the snapshot becomes the VM's OS disk (the documented OS-disk swap: the VM
   * must be deallocated, so a running VM is deallocated first and started again after; a powered-off VM
   * ends deallocated). The previous OS disk is kept, detached, so the swap can be undone by hand.
   */
  async restoreSnapshot(resourceId: string, snapshotId: string): Promise<void> {
    const vm = await this.getVm(resourceId);
    const id = parseArmId(resourceId, "virtualMachines");
    const current = toCloudInstance(vm, vm.instanceView);
    const prior = current.state;
    const snapshot = await this.describeSnapshot(snapshotId);
    if (snapshot.state !== "available") {
      throw new CloudProviderError("azure", "SnapshotNotReady", `Snapshot ${snapshot.name} is ${snapshot.state}; restore needs it available`);
    }
    const wasRunning = prior === "running" || prior === "starting";
    // The swap needs a deallocated VM; a powered-off one is deallocated too (and stays so: cheaper).
    if (wasRunning || (prior === "stopped" && !current.details.deallocated)) {
      await this.stopWith(resourceId, "deallocate");
    } else if (prior !== "stopped") {
      throw new CloudProviderError("azure", "IncorrectState", `${id.name} is ${prior}; restore needs it running or stopped`);
    }
    try {
      await this.swapOsDisk(id, vm, snapshotId);
    } catch (error) {
      // The swap failed: the VM still has its old disk, so put it back the way it was before reporting.
      if (wasRunning) await this.startInstance(resourceId).catch(() => undefined);
      throw error;
    }
    if (wasRunning) await this.startInstance(resourceId);
  }

  private async swapOsDisk(id: ArmResourceId, vm: VirtualMachine, snapshotId: string): Promise<void> {
    const client = this.client(id.subscriptionId);
    const diskName = armName(`${id.name}-osdisk-${parseArmId(snapshotId, "snapshots").name}`, this.clock.now());
    const disk = await this.runOperation(id, "restore", () =>
      client.disks.createOrUpdate(
        id.resourceGroup,
        diskName,
        { location: vm.location, zones: vm.zones, creationData: { createOption: "Copy", sourceResourceId: snapshotId } },
        this.lroOptions(),
      ),
    );
    const osDisk = vm.storageProfile?.osDisk;
    await this.runOperation(id, "restore", () =>
      client.virtualMachines.update(
        id.resourceGroup,
        id.name,
        { storageProfile: { osDisk: { createOption: osDisk?.createOption ?? "Attach", name: diskName, managedDisk: { id: disk.id } } } },
        this.lroOptions(),
      ),
    );
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

  private async getVm(resourceId: string): Promise<VirtualMachine> {
    const id = parseArmId(resourceId, "virtualMachines");
    const client = this.client(id.subscriptionId);
    try {
      return await this.pace(`azure:${id.subscriptionId}:read`, () => client.virtualMachines.get(id.resourceGroup, id.name, { expand: "instanceView" }));
    } catch (error) {
      throw toAzureError(error, { operation: "describe", resourceId, isInstance: true });
    }
  }

  /**
   * Sends the first request through the pacer (the poller sends it as soon as it is made), then polls
   * to the end within the operation bound. Errors come back in plain words.
   */
  private async runOperation<T>(id: ArmResourceId, operation: string, begin: () => Operation<T>): Promise<T> {
    const resourceId = formatArmId(id);
    // A 404 during a snapshot or restore is about the snapshot or disk, not the VM.
    const isInstance = id.type === "virtualMachines" && ["start", "stop", "reboot"].includes(operation);
    try {
      const { poller } = await this.pace(`azure:${id.subscriptionId}:write`, async () => {
        const started = begin();
        await started.submitted();
        return { poller: started };
      });
      return await poller.pollUntilDone({ abortSignal: AbortSignal.timeout(this.settings.operationTimeoutMs) });
    } catch (error) {
      throw toAzureError(error, { operation, resourceId, isInstance });
    }
  }

  /**
   * The operation was accepted; the instance view must now show the target. A VM that stays stopped
   * (e.g. its disk's Key Vault key is unusable) is a failure carrying Azure's own reason.
   */
  private async verify(resourceId: string, target: InstanceState, action: PowerAction): Promise<void> {
    let settled: CloudInstance;
    try {
      settled = await this.waitForState(resourceId, target);
    } catch (error) {
      if (!(error instanceof WaitTimeoutError)) throw error;
      const vm = await this.getVm(resourceId);
      const last = toCloudInstance(vm, vm.instanceView);
      const reason = latestReason(vm.instanceView);
      throw new CloudProviderError(
        "azure",
        "TargetStateNotReached",
        `Azure accepted the ${action} of ${last.name} but it is still ${last.providerState}` + (reason ? ` (${reason})` : ""),
      );
    }
    if (settled.state !== target) {
      const code = settled.stateMessage?.split(":")[0]?.split("/").pop() ?? "TargetStateNotReached";
      throw toAzureError({ code, message: settled.stateMessage ?? settled.providerState }, { operation: action, resourceId });
    }
  }

  private lroOptions() {
    return { updateIntervalInMs: this.settings.operationPollIntervalMs };
  }

  private client(subscriptionId: string): ComputeManagementClient {
    const key = subscriptionId.toLowerCase();
    if (!this.scopes.has(key)) {
      throw new CloudProviderError("azure", "SubscriptionNotConfigured", `Subscription ${subscriptionId} is not in the bot's Azure configuration`);
    }
    let client = this.clients.get(key);
    if (!client) {
      client = new ComputeManagementClient(this.credential, subscriptionId, {
        ...this.options.clientOptions,
        endpoint: this.options.endpoint,
        // Throttling is retried once, by RetryingProvider (which honours Retry-After), not also in the SDK.
        retryOptions: { maxRetries: 0, ...this.options.clientOptions?.retryOptions },
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

const SNAPSHOT_STATES: Record<string, CloudSnapshotState> = {
  succeeded: "available",
  creating: "creating",
  updating: "creating",
  deleting: "deleting",
  failed: "error",
};

function toCloudSnapshot(snapshot: {
  id?: string;
  name?: string;
  tags?: Record<string, string>;
  provisioningState?: string;
  diskSizeGB?: number;
  timeCreated?: Date;
}): CloudSnapshot {
  return {
    snapshotId: snapshot.id ?? "",
    resourceId: snapshot.tags?.[SOURCE_VM_TAG] ?? "",
    name: snapshot.tags?.[SNAPSHOT_NAME_TAG] ?? snapshot.name ?? "",
    state: SNAPSHOT_STATES[snapshot.provisioningState?.toLowerCase() ?? ""] ?? "creating",
    sizeGb: snapshot.diskSizeGB,
    createdAt: snapshot.timeCreated ?? new Date(0),
  };
}

/** ARM names: letters, digits, `_ . -`, at most 80; a timestamp keeps repeated names apart. */
function armName(base: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  const cleaned = base.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "");
  return `${cleaned.slice(0, 80 - stamp.length - 1)}-${stamp}`;
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pages) items.push(item);
  return items;
}
