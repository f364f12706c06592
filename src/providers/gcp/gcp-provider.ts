// CloudProvider on Compute Engine through @google-cloud/compute over its REST transport. Compute
// Engine has no call that starts or stops many instances, so a batch is one call per instance, sent
// concurrently inside the pacer's buckets; each call's operation is followed to DONE so a failure that
// only shows in the operation (no capacity, quota) is that instance's answer. Credentials come from
// Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, workload identity, metadata server).
import { DisksClient, GlobalOperationsClient, InstancesClient, SnapshotsClient, ZoneOperationsClient, protos } from "@google-cloud/compute";
import {
  CloudProviderError,
  InstanceNotFoundError,
  type BatchResult,
  type CloudInstance,
  type CloudProvider,
  type CloudSnapshot,
  type CloudSnapshotState,
  type InstanceState,
  type PowerAction,
  type WaitOptions,
} from "../cloud-provider.js";
import type { BucketSpec, RequestPacer } from "../request-pacer.js";
import { pollForState, realSleep, waitUntil, type PollClock } from "../wait-until.js";
import { operationError, toCloudError } from "./gce-errors.js";
import { instancePath, lastSegment, parseInstancePath, parseSnapshotPath, snapshotPath, toResourceName, type GceInstanceRef } from "./gce-ids.js";

type Operation = protos.google.cloud.compute.v1.IOperation;
type Instance = protos.google.cloud.compute.v1.IInstance;
type Snapshot = protos.google.cloud.compute.v1.ISnapshot;

export interface GcpProject {
  projectId: string;
  zones: string[];
}

export interface GcpProviderOptions {
  projects: GcpProject[];
  /** Instances carrying all of these labels are the ones the bot discovers. */
  discoveryLabels: Record<string, string>;
  pacer: RequestPacer;
  /** Another Compute endpoint, e.g. http://127.0.0.1:8080 for tests. */
  endpoint?: string;
  /** Only for tests: an auth client instead of Application Default Credentials. */
  authClient?: unknown;
  pageSize?: number;
  pollIntervalMs?: number;
  waitTimeoutMs?: number;
  operationTimeoutMs?: number;
  clock?: Partial<PollClock>;
}

/**
 * Compute Engine meters API requests per project and minute (read and write requests separately);
 * these buckets keep the bot well inside the default quotas (1,200 reads and 600 writes a minute).
 */
const GCE_BUCKETS = {
  read: { capacity: 100, refillPerSecond: 20 },
  write: { capacity: 50, refillPerSecond: 10 },
} satisfies Record<string, BucketSpec>;

const STATES: Record<string, InstanceState> = {
  PROVISIONING: "starting",
  STAGING: "starting",
  RUNNING: "running",
  STOPPING: "stopping",
  SUSPENDING: "stopping",
  STOPPED: "stopped",
  SUSPENDED: "stopped",
  TERMINATED: "stopped",
  REPAIRING: "error",
};

const SNAPSHOT_STATES: Record<string, CloudSnapshotState> = {
  CREATING: "creating",
  UPLOADING: "creating",
  READY: "available",
  FAILED: "error",
  DELETING: "deleting",
};

/** The label that ties a snapshot to the instance it was taken from (labels cannot hold a path). */
export const SNAPSHOT_INSTANCE_LABEL = "vm-lifecycle-instance";

export class GcpProvider implements CloudProvider {
  readonly kind = "gcp" as const;
  private readonly instances: InstancesClient;
  private readonly disks: DisksClient;
  private readonly snapshots: SnapshotsClient;
  private readonly zoneOperations: ZoneOperationsClient;
  private readonly globalOperations: GlobalOperationsClient;
  private readonly clock: PollClock;
  private readonly pollIntervalMs: number;
  private readonly waitTimeoutMs: number;
  private readonly operationTimeoutMs: number;

  constructor(private readonly options: GcpProviderOptions) {
    const clientOptions = restClientOptions(options);
    this.instances = new InstancesClient(clientOptions);
    this.disks = new DisksClient(clientOptions);
    this.snapshots = new SnapshotsClient(clientOptions);
    this.zoneOperations = new ZoneOperationsClient(clientOptions);
    this.globalOperations = new GlobalOperationsClient(clientOptions);
    this.clock = { now: () => new Date(), sleep: realSleep, ...options.clock };
    this.pollIntervalMs = options.pollIntervalMs ?? 3_000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 10 * 60_000;
    this.operationTimeoutMs = options.operationTimeoutMs ?? 10 * 60_000;
  }

  async close(): Promise<void> {
    await Promise.all([this.instances, this.disks, this.snapshots, this.zoneOperations, this.globalOperations].map((client) => client.close()));
  }

  // ---- discovery and description --------------------------------------------------------------

  listInstances(): Promise<CloudInstance[]> {
    return this.discoverInstances();
  }

  /** Every instance carrying the discovery labels, in every configured project and zone (paged). */
  async discoverInstances(): Promise<CloudInstance[]> {
    const filter = Object.entries(this.options.discoveryLabels)
      .map(([key, value]) => `labels.${key} = "${value}"`)
      .join(" AND ");
    const found: CloudInstance[] = [];
    for (const { projectId: project, zones } of this.options.projects) {
      for (const zone of zones) found.push(...(await this.listZone(project, zone, filter)));
    }
    return found;
  }

  async describeInstance(resourceId: string): Promise<CloudInstance> {
    const ref = this.instanceRef(resourceId);
    return this.toCloudInstance(ref.project, ref.zone, await this.getInstance(ref, resourceId));
  }

  /**
   * Several instances of one zone: one `instances.list` of the zone (paged), the asked ones picked from it and
   * the others answered NotFound; a lone instance: one GET. Zones go out concurrently (paced per project).
   */
  async describeInstances(resourceIds: string[]): Promise<(CloudInstance | CloudProviderError)[]> {
    const answers = new Map<string, CloudInstance | CloudProviderError>();
    const zones = new Map<string, { project: string; zone: string; ids: string[] }>();
    for (const resourceId of resourceIds) {
      let ref: GceInstanceRef;
      try {
        ref = this.instanceRef(resourceId);
      } catch (error) {
        answers.set(resourceId, error as CloudProviderError);
        continue;
      }
      const key = `${ref.project}/${ref.zone}`;
      const group = zones.get(key) ?? { project: ref.project, zone: ref.zone, ids: [] };
      group.ids.push(resourceId);
      zones.set(key, group);
    }
    const describeOne = (resourceId: string) =>
      this.describeInstance(resourceId).catch((error: unknown) => {
        const mapped = toCloudError(error, "describe the instance");
        if (mapped.retryable) throw mapped;
        return mapped;
      });
    await Promise.all(
      [...zones.values()].map(async ({ project, zone, ids }) => {
        if (ids.length === 1) return void answers.set(ids[0]!, await describeOne(ids[0]!));
        const listed = new Map((await this.listZone(project, zone)).map((instance) => [instance.resourceId, instance]));
        for (const id of ids) answers.set(id, listed.get(id) ?? new InstanceNotFoundError("gcp", id));
      }),
    );
    return resourceIds.map((resourceId) => answers.get(resourceId)!);
  }

  private async listZone(project: string, zone: string, filter?: string): Promise<CloudInstance[]> {
    const found: CloudInstance[] = [];
    let pageToken: string | undefined;
    do {
      const [items, , raw] = await this.call(project, "read", "list instances", () =>
        this.instances.list({ project, zone, filter: filter || undefined, maxResults: this.options.pageSize ?? 500, pageToken }, { autoPaginate: false }),
      );
      found.push(...items.map((instance) => this.toCloudInstance(project, zone, instance)));
      pageToken = raw?.nextPageToken || undefined;
    } while (pageToken);
    return found;
  }

  // ---- power ----------------------------------------------------------------------------------

  /**
   * Compute Engine takes one instance per start/stop/reset call: the calls go out concurrently (paced
   * per project) and each operation is followed to DONE, so an instance that the zone could not place
   * answers with that error. Throttling of any call fails the batch so the retry layer backs off.
   */
  async powerInstances(action: PowerAction, resourceIds: string[]): Promise<BatchResult[]> {
    const settled = await Promise.allSettled(resourceIds.map((resourceId) => this.powerOne(action, resourceId)));
    const throttled = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected" && outcome.reason instanceof CloudProviderError && outcome.reason.retryable);
    if (throttled) throw throttled.reason;
    return settled.map((outcome, index): BatchResult => {
      const resourceId = resourceIds[index]!;
      return outcome.status === "fulfilled" ? { resourceId, ok: true } : { resourceId, ok: false, error: toCloudError(outcome.reason, action) };
    });
  }

  startInstance(resourceId: string): Promise<void> {
    return this.powerOne("start", resourceId);
  }

  stopInstance(resourceId: string): Promise<void> {
    return this.powerOne("stop", resourceId);
  }

  rebootInstance(resourceId: string): Promise<void> {
    return this.powerOne("reboot", resourceId);
  }

  waitForState(resourceId: string, target: InstanceState, options: WaitOptions = {}): Promise<CloudInstance> {
    return pollForState(
      this,
      resourceId,
      target,
      { ...options, timeoutMs: options.timeoutMs ?? this.waitTimeoutMs, pollIntervalMs: options.pollIntervalMs ?? this.pollIntervalMs },
      this.clock,
    );
  }

  // ---- snapshots ------------------------------------------------------------------------------

  /** Snapshots the boot disk (disks.createSnapshot), labelled with the instance it came from. */
  async createSnapshot(resourceId: string, name: string): Promise<CloudSnapshot> {
    const ref = this.instanceRef(resourceId);
    const instance = await this.getInstance(ref, resourceId);
    const boot = bootDiskOf(instance, resourceId);
    const snapshotName = toResourceName(name, Date.now().toString(36));
    const [operation] = await this.call(ref.project, "write", "create a snapshot", () =>
      this.disks.createSnapshot({
        project: ref.project,
        zone: ref.zone,
        disk: lastSegment(boot.source),
        snapshotResource: {
          name: snapshotName,
          description: `${name} (boot disk of ${resourceId})`,
          labels: { ...this.options.discoveryLabels, [SNAPSHOT_INSTANCE_LABEL]: instanceLabel(ref) },
        },
      }),
    );
    // The snapshot exists once the operation is accepted; its own status says when it is READY.
    await this.followOperation(ref.project, ref.zone, operation.latestResponse as Operation, "create a snapshot", { untilDone: false });
    return {
      snapshotId: snapshotPath({ project: ref.project, name: snapshotName }),
      resourceId,
      name,
      state: "creating",
      createdAt: this.clock.now(),
    };
  }

  async listSnapshots(resourceId: string): Promise<CloudSnapshot[]> {
    const ref = this.instanceRef(resourceId);
    const found: CloudSnapshot[] = [];
    let pageToken: string | undefined;
    do {
      const [items, , raw] = await this.call(ref.project, "read", "list snapshots", () =>
        this.snapshots.list({ project: ref.project, filter: `labels.${SNAPSHOT_INSTANCE_LABEL} = "${instanceLabel(ref)}"`, maxResults: 500, pageToken }, { autoPaginate: false }),
      );
      found.push(...items.map((snapshot) => this.toCloudSnapshot(ref.project, snapshot, resourceId)));
      pageToken = raw?.nextPageToken || undefined;
    } while (pageToken);
    return found;
  }

  async describeSnapshot(snapshotId: string): Promise<CloudSnapshot> {
    const ref = this.snapshotRef(snapshotId);
    const [snapshot] = await this.call(ref.project, "read", "describe the snapshot", () => this.snapshots.get({ project: ref.project, snapshot: ref.name }));
    return this.toCloudSnapshot(ref.project, snapshot);
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    const ref = this.snapshotRef(snapshotId);
    const [operation] = await this.call(ref.project, "write", "delete the snapshot", () => this.snapshots.delete({ project: ref.project, snapshot: ref.name }));
    await this.followOperation(ref.project, undefined, operation.latestResponse as Operation, "delete the snapshot");
  }

  /**
   * Boot-disk swap: a new disk from the snapshot, the instance stopped (if it was not), the old boot
   * disk detached (kept, not deleted: it is the way back), the new one attached as boot under the same
   * device name, and the instance started again if it was running.
   */
  async restoreSnapshot(resourceId: string, snapshotId: string): Promise<void> {
    const ref = this.instanceRef(resourceId);
    const snapshot = this.snapshotRef(snapshotId);
    const instance = await this.getInstance(ref, resourceId);
    const wasRunning = STATES[instance.status ?? ""] === "running";
    const oldBoot = bootDiskOf(instance, resourceId);
    const [oldDisk] = await this.call(ref.project, "read", "read the boot disk", () => this.disks.get({ project: ref.project, zone: ref.zone, disk: lastSegment(oldBoot.source) }));

    const newDiskName = toResourceName(`${ref.name}-restored`, Date.now().toString(36));
    const [created] = await this.call(ref.project, "write", "create a disk from the snapshot", () =>
      this.disks.insert({
        project: ref.project,
        zone: ref.zone,
        diskResource: {
          name: newDiskName,
          sourceSnapshot: snapshotPath(snapshot),
          ...(oldDisk.type && { type: oldDisk.type }),
          labels: { ...this.options.discoveryLabels, [SNAPSHOT_INSTANCE_LABEL]: instanceLabel(ref) },
        },
      }),
    );
    await this.followOperation(ref.project, ref.zone, created.latestResponse as Operation, "create a disk from the snapshot");

    if (wasRunning) await this.powerOne("stop", resourceId);
    const deviceName = oldBoot.deviceName ?? lastSegment(oldBoot.source);
    const [detached] = await this.call(ref.project, "write", "detach the boot disk", () =>
      this.instances.detachDisk({ project: ref.project, zone: ref.zone, instance: ref.name, deviceName }),
    );
    await this.followOperation(ref.project, ref.zone, detached.latestResponse as Operation, "detach the boot disk");
    const [attached] = await this.call(ref.project, "write", "attach the restored boot disk", () =>
      this.instances.attachDisk({
        project: ref.project,
        zone: ref.zone,
        instance: ref.name,
        attachedDiskResource: { source: `projects/${ref.project}/zones/${ref.zone}/disks/${newDiskName}`, boot: true, deviceName, autoDelete: oldBoot.autoDelete ?? false },
      }),
    );
    await this.followOperation(ref.project, ref.zone, attached.latestResponse as Operation, "attach the restored boot disk");
    if (wasRunning) {
      await this.powerOne("start", resourceId);
      const after = await this.waitForState(resourceId, "running");
      if (after.state !== "running") throw new CloudProviderError("gcp", "RestoreIncomplete", after.stateMessage ?? `${ref.name} ended ${after.state} after the restore instead of running`);
    }
  }

  // ---- internals ------------------------------------------------------------------------------

  private async powerOne(action: PowerAction, resourceId: string): Promise<void> {
    const ref = this.instanceRef(resourceId);
    const request = { project: ref.project, zone: ref.zone, instance: ref.name };
    const [operation] = await this.call(ref.project, "write", action, () =>
      action === "start" ? this.instances.start(request) : action === "stop" ? this.instances.stop(request) : this.instances.reset(request),
    );
    await this.followOperation(ref.project, ref.zone, operation.latestResponse as Operation, action);
  }

  /** Polls a zonal (or, without a zone, global) operation until DONE; its errors become the failure. */
  private async followOperation(project: string, zone: string | undefined, operation: Operation, action: string, { untilDone = true } = {}): Promise<void> {
    if (!untilDone) {
      if (operation.error?.errors?.length) throw operationError(operation.error.errors, action);
      return;
    }
    let current = operation;
    let first = true;
    await waitUntil(
      async () => {
        if (!first) {
          const name = current.name ?? "";
          [current] = await this.call(project, "read", `follow the operation to ${action}`, () =>
            zone ? this.zoneOperations.get({ project, zone, operation: name }) : this.globalOperations.get({ project, operation: name }),
          );
        }
        first = false;
        if (current.error?.errors?.length) throw operationError(current.error.errors, action);
        return current;
      },
      (seen) => seen.status === "DONE",
      {
        timeoutMs: this.operationTimeoutMs,
        pollIntervalMs: this.pollIntervalMs,
        timedOut: () => new CloudProviderError("gcp", "OperationTimeout", `Google Cloud did not finish the operation to ${action} in time (operation ${current.name})`),
      },
      this.clock,
    );
  }

  private async getInstance(ref: GceInstanceRef, resourceId: string): Promise<Instance> {
    try {
      const [instance] = await this.call(ref.project, "read", "describe the instance", () => this.instances.get({ project: ref.project, zone: ref.zone, instance: ref.name }));
      return instance;
    } catch (error) {
      if (error instanceof CloudProviderError && error.code === "NOT_FOUND") throw new InstanceNotFoundError("gcp", resourceId);
      throw error;
    }
  }

  /** Paces the call in the project's bucket and maps what it throws. */
  private async call<T>(project: string, category: keyof typeof GCE_BUCKETS, action: string, send: () => Promise<T>): Promise<T> {
    await this.options.pacer.acquire(`gcp:${project}`, category, GCE_BUCKETS[category]);
    try {
      return await send();
    } catch (error) {
      throw toCloudError(error, action);
    }
  }

  private toCloudInstance(project: string, zone: string, instance: Instance): CloudInstance {
    const status = instance.status ?? "UNKNOWN";
    const ref = { project, zone, name: instance.name ?? "" };
    const network = instance.networkInterfaces?.[0];
    return {
      resourceId: instancePath(ref),
      name: instance.name ?? "",
      region: zone,
      state: STATES[status] ?? "unknown",
      providerState: status,
      ...(instance.statusMessage && { stateMessage: instance.statusMessage }),
      tags: { ...(instance.labels ?? {}) },
      details: {
        instanceType: lastSegment(instance.machineType),
        privateIp: network?.networkIP ?? undefined,
        publicIp: network?.accessConfigs?.[0]?.natIP ?? undefined,
        bootDisk: lastSegment(instance.disks?.find((disk) => disk.boot)?.source),
        consoleUrl: `https://console.cloud.google.com/compute/instancesDetail/zones/${zone}/instances/${ref.name}?project=${project}`,
      },
    };
  }

  private toCloudSnapshot(project: string, snapshot: Snapshot, resourceId?: string): CloudSnapshot {
    const labels = snapshot.labels ?? {};
    const fromLabel = labels[SNAPSHOT_INSTANCE_LABEL] ? instanceFromLabel(project, labels[SNAPSHOT_INSTANCE_LABEL]) : undefined;
    return {
      snapshotId: snapshotPath({ project, name: snapshot.name ?? "" }),
      resourceId: resourceId ?? fromLabel ?? "",
      name: snapshot.description?.replace(/ \(boot disk of .*\)$/, "") || (snapshot.name ?? ""),
      state: SNAPSHOT_STATES[snapshot.status ?? ""] ?? "error",
      sizeGb: snapshot.diskSizeGb ? Number(snapshot.diskSizeGb) : undefined,
      createdAt: snapshot.creationTimestamp ? new Date(snapshot.creationTimestamp) : new Date(0),
    };
  }

  private instanceRef(resourceId: string): GceInstanceRef {
    const ref = parseInstancePath(resourceId);
    if (!ref) throw new InstanceNotFoundError("gcp", resourceId);
    if (!this.options.projects.some((project) => project.projectId === ref.project)) {
      throw new CloudProviderError("gcp", "ProjectNotConfigured", `Google Cloud project ${ref.project} is not in clouds.yml`);
    }
    return ref;
  }

  private snapshotRef(snapshotId: string) {
    const ref = parseSnapshotPath(snapshotId);
    if (!ref) throw new CloudProviderError("gcp", "InvalidSnapshotId", `${snapshotId} is not a Compute Engine snapshot path`);
    return ref;
  }
}

function restClientOptions(options: GcpProviderOptions) {
  const endpoint = options.endpoint ? new URL(options.endpoint) : undefined;
  return {
    fallback: "rest" as const,
    ...(endpoint && {
      apiEndpoint: endpoint.hostname,
      port: Number(endpoint.port || (endpoint.protocol === "http:" ? 80 : 443)),
      protocol: endpoint.protocol.replace(":", ""),
    }),
    ...(options.authClient ? { authClient: options.authClient as never } : {}),
  };
}

function bootDiskOf(instance: Instance, resourceId: string) {
  const boot = instance.disks?.find((disk) => disk.boot);
  if (!boot?.source) throw new CloudProviderError("gcp", "NoBootDisk", `${resourceId} has no persistent boot disk`);
  return boot;
}

/** Label values allow [a-z0-9_-] only: zone and name joined by "_" (the project is the snapshot's own). */
function instanceLabel(ref: GceInstanceRef): string {
  return `${ref.zone}_${ref.name}`.slice(0, 63);
}

function instanceFromLabel(project: string, label: string): string | undefined {
  const [zone, name] = label.split("_");
  return zone && name ? instancePath({ project, zone, name }) : undefined;
}
