// CloudProvider on Amazon EC2 through @aws-sdk/client-ec2. One EC2 client per account + region;
// power actions go out as one call per account + region for many instances; every call is paced
// inside EC2's request buckets. Credentials come from the SDK's default chain (or a named profile).
import {
  CreateReplaceRootVolumeTaskCommand,
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeInstancesCommand,
  DescribeReplaceRootVolumeTasksCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type EC2ClientConfig,
  type Filter,
  type Instance,
  type Snapshot,
} from "@aws-sdk/client-ec2";
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
import type { RequestPacer } from "../request-pacer.js";
import { pollForState, realSleep, waitUntil, type PollClock } from "../wait-until.js";
import { EC2_INSTANCE_BUCKETS, EC2_REQUEST_BUCKETS, type Ec2RequestCategory } from "./ec2-buckets.js";
import { describeStateReason, ec2ErrorCode, isStartFailureReason, toCloudError } from "./ec2-errors.js";
import { instanceArn, instanceIdsIn, parseEc2Arn, scopeOf, snapshotArn, type Ec2Resource } from "./ec2-ids.js";

export interface AwsAccount {
  accountId: string;
  regions: string[];
  /** A profile of the shared AWS config (e.g. one that assumes a role in this account); default chain when unset. */
  profile?: string;
  /** Another EC2 endpoint (tests, VPC endpoints). */
  endpoint?: string;
}

export interface AwsProviderOptions {
  accounts: AwsAccount[];
  /** Instances carrying all of these tags are the ones the bot discovers. */
  discoveryTags: Record<string, string>;
  pacer: RequestPacer;
  /** Only for tests: static credentials instead of the SDK's default chain. */
  credentials?: EC2ClientConfig["credentials"];
  /** DescribeInstances page size (EC2 accepts 5..1000). */
  pageSize?: number;
  pollIntervalMs?: number;
  waitTimeoutMs?: number;
  restoreTimeoutMs?: number;
  clock?: Partial<PollClock>;
}

/** EC2 answers `InstanceIds` filters with up to this many values per filter. */
const FILTER_VALUES_PER_CALL = 200;
/** The tag that ties a snapshot to the instance ARN it was taken from. */
export const SNAPSHOT_INSTANCE_TAG = "vm-lifecycle:instance";

const STATES: Record<string, InstanceState> = {
  pending: "starting",
  running: "running",
  stopping: "stopping",
  stopped: "stopped",
  "shutting-down": "stopping",
  terminated: "error",
};

const SNAPSHOT_STATES: Record<string, CloudSnapshotState> = {
  pending: "creating",
  completed: "available",
  error: "error",
  recoverable: "error",
  recovering: "creating",
};

export class AwsProvider implements CloudProvider {
  readonly kind = "aws" as const;
  private readonly clients = new Map<string, EC2Client>();
  private readonly accounts: Map<string, AwsAccount>;
  private readonly clock: PollClock;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly waitTimeoutMs: number;
  private readonly restoreTimeoutMs: number;

  constructor(private readonly options: AwsProviderOptions) {
    this.accounts = new Map(options.accounts.map((account) => [account.accountId, account]));
    this.clock = { now: () => new Date(), sleep: realSleep, ...options.clock };
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 10 * 60_000;
    this.restoreTimeoutMs = options.restoreTimeoutMs ?? 30 * 60_000;
  }

  // ---- discovery and description --------------------------------------------------------------

  listInstances(): Promise<CloudInstance[]> {
    return this.discoverInstances();
  }

  /** Every instance carrying the discovery tags, in every configured account and region (paged). */
  async discoverInstances(): Promise<CloudInstance[]> {
    const filters: Filter[] = Object.entries(this.options.discoveryTags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
    const found: CloudInstance[] = [];
    for (const account of this.accounts.values()) {
      for (const region of account.regions) {
        found.push(...(await this.describePaged({ accountId: account.accountId, region }, filters)));
      }
    }
    return found;
  }

  async describeInstance(resourceId: string): Promise<CloudInstance> {
    const [answer] = await this.describeInstances([resourceId]);
    if (answer instanceof CloudProviderError) throw answer;
    return answer!;
  }

  /** One DescribeInstances (instance-id filter, paged) per account + region; missing ids answer NotFound. */
  async describeInstances(resourceIds: string[]): Promise<(CloudInstance | CloudProviderError)[]> {
    const found = new Map<string, CloudInstance>();
    for (const group of this.groupByScope(resourceIds).groups) {
      for (const chunk of chunks(group.ids, FILTER_VALUES_PER_CALL)) {
        const instanceIds = chunk.map((arn) => parseEc2Arn(arn, "instance")!.id);
        const instances = await this.describePaged(group, [{ Name: "instance-id", Values: instanceIds }]);
        for (const instance of instances) found.set(instance.resourceId, instance);
      }
    }
    return resourceIds.map((resourceId) => found.get(resourceId) ?? new InstanceNotFoundError("aws", resourceId));
  }

  // ---- power ----------------------------------------------------------------------------------

  /**
   * One Start/Stop/RebootInstances call per account + region with every instance of it. When EC2
   * refuses the whole call because some instances are in the wrong state (or unknown), those are
   * reported failed and the call is sent again without them.
   */
  async powerInstances(action: PowerAction, resourceIds: string[]): Promise<BatchResult[]> {
    const results = new Map<string, BatchResult>();
    const { groups, invalid } = this.groupByScope(resourceIds);
    for (const resourceId of invalid) {
      results.set(resourceId, { resourceId, ok: false, error: new CloudProviderError("aws", "InvalidArn", `${resourceId} is not an EC2 instance ARN`) });
    }
    await Promise.all(
      groups.map(async (group) => {
        for (const chunk of chunks(group.ids, EC2_INSTANCE_BUCKETS.StartInstances.capacity)) {
          for (const result of await this.powerGroup(action, { ...group, ids: chunk })) results.set(result.resourceId, result);
        }
      }),
    );
    return resourceIds.map((resourceId) => results.get(resourceId)!);
  }

  async startInstance(resourceId: string): Promise<void> {
    return this.powerOne("start", resourceId);
  }

  async stopInstance(resourceId: string): Promise<void> {
    return this.powerOne("stop", resourceId);
  }

  async rebootInstance(resourceId: string): Promise<void> {
    return this.powerOne("reboot", resourceId);
  }

  /**
   * Polls until `target`, bounded. A start that EC2 accepted but that ended stopped again with a
   * failure reason (an EBS volume whose KMS key cannot be used, no capacity) reads `error` (see
   * toCloudInstance), so the wait ends at once with the reason in plain words.
   */
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

  /** Snapshots the root EBS volume, tagged with the instance ARN and the name. */
  async createSnapshot(resourceId: string, name: string): Promise<CloudSnapshot> {
    const instance = await this.describeRaw(resourceId);
    const location = this.instanceLocation(resourceId);
    const rootVolumeId = instance.BlockDeviceMappings?.find((mapping) => mapping.DeviceName === instance.RootDeviceName)?.Ebs?.VolumeId;
    if (!rootVolumeId) throw new CloudProviderError("aws", "NoRootVolume", `${resourceId} has no EBS root volume to snapshot`);
    const answer = await this.send(location, "mutating", "create a snapshot", () =>
      this.client(location).send(
        new CreateSnapshotCommand({
          VolumeId: rootVolumeId,
          Description: `${name} (root volume of ${instance.InstanceId})`,
          TagSpecifications: [
            {
              ResourceType: "snapshot",
              Tags: [
                { Key: "Name", Value: name },
                { Key: SNAPSHOT_INSTANCE_TAG, Value: resourceId },
                ...Object.entries(this.options.discoveryTags).map(([Key, Value]) => ({ Key, Value })),
              ],
            },
          ],
        }),
      ),
    );
    return this.toCloudSnapshot(location, { ...answer, Tags: answer.Tags ?? [{ Key: "Name", Value: name }, { Key: SNAPSHOT_INSTANCE_TAG, Value: resourceId }] });
  }

  async listSnapshots(resourceId: string): Promise<CloudSnapshot[]> {
    const location = this.instanceLocation(resourceId);
    const snapshots: CloudSnapshot[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.send(location, "nonMutating", "list snapshots", () =>
        this.client(location).send(
          new DescribeSnapshotsCommand({
            OwnerIds: ["self"],
            Filters: [{ Name: `tag:${SNAPSHOT_INSTANCE_TAG}`, Values: [resourceId] }],
            MaxResults: 1000,
            NextToken: nextToken,
          }),
        ),
      );
      snapshots.push(...(page.Snapshots ?? []).map((snapshot) => this.toCloudSnapshot(location, snapshot)));
      nextToken = page.NextToken;
    } while (nextToken);
    return snapshots;
  }

  async describeSnapshot(snapshotId: string): Promise<CloudSnapshot> {
    const location = this.snapshotLocation(snapshotId);
    const answer = await this.send(location, "nonMutating", "describe the snapshot", () =>
      this.client(location).send(new DescribeSnapshotsCommand({ SnapshotIds: [location.id] })),
    );
    const snapshot = answer.Snapshots?.[0];
    if (!snapshot) throw new CloudProviderError("aws", "InvalidSnapshot.NotFound", `AWS does not know snapshot ${snapshotId}`);
    return this.toCloudSnapshot(location, snapshot);
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    const location = this.snapshotLocation(snapshotId);
    await this.send(location, "mutating", "delete the snapshot", () => this.client(location).send(new DeleteSnapshotCommand({ SnapshotId: location.id })));
  }

  /**
   * Replaces the root volume from the snapshot (CreateReplaceRootVolumeTask), polls the task until it
   * ends, then waits until the instance is back in the state it had before (EC2 keeps a stopped
   * instance stopped and reboots a running one).
   */
  async restoreSnapshot(resourceId: string, snapshotId: string): Promise<void> {
    const location = this.instanceLocation(resourceId);
    const snapshot = this.snapshotLocation(snapshotId);
    if (snapshot.accountId !== location.accountId || snapshot.region !== location.region) {
      throw new CloudProviderError("aws", "InvalidParameterCombination", `Snapshot ${snapshotId} is not in the account and region of ${resourceId}; a root volume can only be replaced from a snapshot beside it`);
    }
    const before = await this.describeInstance(resourceId);
    if (before.state !== "stopped" && before.state !== "running") {
      throw new CloudProviderError("aws", "IncorrectInstanceState", `${before.name} is ${before.state}; a root volume can be replaced only when it is running or stopped`);
    }
    const created = await this.send(location, "mutating", "restore the snapshot", () =>
      this.client(location).send(new CreateReplaceRootVolumeTaskCommand({ InstanceId: location.id, SnapshotId: snapshot.id, DeleteReplacedRootVolume: false })),
    );
    const taskId = created.ReplaceRootVolumeTask?.ReplaceRootVolumeTaskId;
    if (!taskId) throw new CloudProviderError("aws", "Unexpected", "AWS accepted the restore but returned no task id");

    await waitUntil(
      async () => {
        const answer = await this.send(location, "nonMutating", "follow the restore", () =>
          this.client(location).send(new DescribeReplaceRootVolumeTasksCommand({ ReplaceRootVolumeTaskIds: [taskId] })),
        );
        const state = answer.ReplaceRootVolumeTasks?.[0]?.TaskState;
        if (state === "failed" || state === "failed-detached") {
          throw new CloudProviderError("aws", `ReplaceRootVolumeTask.${state}`, `AWS could not replace the root volume of ${before.name} from the snapshot (task ${taskId} ${state})`);
        }
        return state;
      },
      (state) => state === "succeeded",
      {
        timeoutMs: this.restoreTimeoutMs,
        pollIntervalMs: this.pollIntervalMs,
        timedOut: (state) => new CloudProviderError("aws", "RestoreTimeout", `The root volume replacement of ${before.name} did not finish in time (task ${taskId} ${String(state ?? "unknown")})`),
      },
      this.clock,
    );
    const after = await this.waitForState(resourceId, before.state);
    if (after.state !== before.state) {
      throw new CloudProviderError("aws", "RestoreIncomplete", after.stateMessage ?? `${before.name} ended ${after.state} after the restore instead of ${before.state}`);
    }
  }

  // ---- internals ------------------------------------------------------------------------------

  private async powerOne(action: PowerAction, resourceId: string): Promise<void> {
    const [result] = await this.powerInstances(action, [resourceId]);
    if (result && !result.ok) throw result.error;
  }

  private async powerGroup(action: PowerAction, group: Ec2Resource & { ids: string[] }): Promise<BatchResult[]> {
    const results: BatchResult[] = [];
    let remaining = group.ids;
    while (remaining.length) {
      const instanceIds = remaining.map((arn) => parseEc2Arn(arn, "instance")!.id);
      try {
        await this.sendPower(action, group, instanceIds);
        results.push(...remaining.map((resourceId): BatchResult => ({ resourceId, ok: true })));
        return results;
      } catch (error) {
        const code = ec2ErrorCode(error);
        const mapped = toCloudError(error, action);
        if (mapped.retryable) throw mapped;
        const culprits = new Set(RETRY_WITHOUT_CODES.has(code) ? instanceIdsIn(mapped.message).filter((id) => instanceIds.includes(id)) : []);
        // Nothing to leave out (or everyone is at fault): the answer is every remaining instance's.
        if (culprits.size === 0 || culprits.size === instanceIds.length) {
          results.push(...remaining.map((resourceId): BatchResult => ({ resourceId, ok: false, error: mapped })));
          return results;
        }
        for (const resourceId of remaining) {
          if (culprits.has(parseEc2Arn(resourceId, "instance")!.id)) results.push({ resourceId, ok: false, error: mapped });
        }
        remaining = remaining.filter((resourceId) => !culprits.has(parseEc2Arn(resourceId, "instance")!.id));
      }
    }
    return results;
  }

  private async sendPower(action: PowerAction, location: Ec2Resource, instanceIds: string[]): Promise<void> {
    const client = this.client(location);
    if (action === "reboot") {
      await this.send(location, "mutating", action, () => client.send(new RebootInstancesCommand({ InstanceIds: instanceIds })), { raw: true });
      return;
    }
    const category = action === "start" ? "StartInstances" : "StopInstances";
    await this.options.pacer.acquire(scopeOf(location), `${category}:instances`, EC2_INSTANCE_BUCKETS[category], instanceIds.length);
    await this.send(
      location,
      category,
      action,
      () => client.send(action === "start" ? new StartInstancesCommand({ InstanceIds: instanceIds }) : new StopInstancesCommand({ InstanceIds: instanceIds })),
      { raw: true },
    );
  }

  /** Paces the call in its bucket, sends it, and maps failures (raw: leave the SDK error for the caller). */
  private async send<T>(location: Pick<Ec2Resource, "accountId" | "region">, category: Ec2RequestCategory, action: string, call: () => Promise<T>, { raw = false } = {}): Promise<T> {
    await this.options.pacer.acquire(scopeOf(location), category, EC2_REQUEST_BUCKETS[category]);
    try {
      return await call();
    } catch (error) {
      throw raw ? error : toCloudError(error, action);
    }
  }

  private async describePaged(location: Pick<Ec2Resource, "accountId" | "region">, filters: Filter[]): Promise<CloudInstance[]> {
    const instances: CloudInstance[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.send(location, "nonMutating", "describe instances", () =>
        this.client(location).send(new DescribeInstancesCommand({ Filters: filters, MaxResults: this.pageSize, NextToken: nextToken })),
      );
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) instances.push(this.toCloudInstance(location, instance));
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return instances;
  }

  private async describeRaw(resourceId: string): Promise<Instance> {
    const location = this.instanceLocation(resourceId);
    const page = await this.send(location, "nonMutating", "describe the instance", () =>
      this.client(location).send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-id", Values: [location.id] }] })),
    );
    const instance = page.Reservations?.flatMap((reservation) => reservation.Instances ?? [])[0];
    if (!instance) throw new InstanceNotFoundError("aws", resourceId);
    return instance;
  }

  private toCloudInstance(location: Pick<Ec2Resource, "accountId" | "region">, instance: Instance): CloudInstance {
    const tags = Object.fromEntries((instance.Tags ?? []).filter((tag) => tag.Key).map((tag) => [tag.Key!, tag.Value ?? ""]));
    const providerState = instance.State?.Name ?? "unknown";
    const reasonCode = instance.StateReason?.Code;
    // "Accepted but still stopped": EC2 took the start, then the instance fell back to stopped. The bot
    // calls that `error` (as the simulator does for a failed start); providerState still says stopped.
    const startFailed = providerState === "stopped" && isStartFailureReason(reasonCode);
    const stateMessage = providerState === "terminated" || startFailed ? describeStateReason(reasonCode, instance.StateReason?.Message) : undefined;
    return {
      resourceId: instanceArn(location.region, location.accountId, instance.InstanceId!),
      name: tags.Name || instance.InstanceId!,
      region: location.region,
      state: startFailed ? "error" : (STATES[providerState] ?? "unknown"),
      providerState,
      ...(stateMessage && { stateMessage }),
      tags,
      details: {
        instanceType: instance.InstanceType,
        privateIp: instance.PrivateIpAddress,
        publicIp: instance.PublicIpAddress,
        availabilityZone: instance.Placement?.AvailabilityZone,
        ...(reasonCode && { stateReasonCode: reasonCode }),
        consoleUrl: `https://${location.region}.console.aws.amazon.com/ec2/home?region=${location.region}#InstanceDetails:instanceId=${instance.InstanceId}`,
      },
    };
  }

  private toCloudSnapshot(location: Pick<Ec2Resource, "accountId" | "region">, snapshot: Snapshot): CloudSnapshot {
    const tags = Object.fromEntries((snapshot.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
    return {
      snapshotId: snapshotArn(location.region, location.accountId, snapshot.SnapshotId!),
      resourceId: tags[SNAPSHOT_INSTANCE_TAG] ?? "",
      name: tags.Name ?? snapshot.SnapshotId!,
      state: SNAPSHOT_STATES[snapshot.State ?? ""] ?? "error",
      sizeGb: snapshot.VolumeSize,
      createdAt: snapshot.StartTime ?? new Date(0),
    };
  }

  private groupByScope(resourceIds: string[]): { groups: (Ec2Resource & { ids: string[] })[]; invalid: string[] } {
    const groups = new Map<string, Ec2Resource & { ids: string[] }>();
    const invalid: string[] = [];
    for (const resourceId of resourceIds) {
      const parsed = parseEc2Arn(resourceId, "instance");
      if (!parsed || !this.accounts.has(parsed.accountId)) {
        invalid.push(resourceId);
        continue;
      }
      const key = scopeOf(parsed);
      const group = groups.get(key) ?? { ...parsed, ids: [] };
      if (!group.ids.includes(resourceId)) group.ids.push(resourceId);
      groups.set(key, group);
    }
    return { groups: [...groups.values()], invalid };
  }

  private instanceLocation(resourceId: string): Ec2Resource {
    const parsed = parseEc2Arn(resourceId, "instance");
    if (!parsed) throw new InstanceNotFoundError("aws", resourceId);
    this.accountOf(parsed.accountId);
    return parsed;
  }

  private snapshotLocation(snapshotId: string): Ec2Resource {
    const parsed = parseEc2Arn(snapshotId, "snapshot");
    if (!parsed) throw new CloudProviderError("aws", "InvalidArn", `${snapshotId} is not an EC2 snapshot ARN`);
    this.accountOf(parsed.accountId);
    return parsed;
  }

  private accountOf(accountId: string): AwsAccount {
    const account = this.accounts.get(accountId);
    if (!account) throw new CloudProviderError("aws", "AccountNotConfigured", `AWS account ${accountId} is not in clouds.yml`);
    return account;
  }

  private client(location: Pick<Ec2Resource, "accountId" | "region">): EC2Client {
    const key = scopeOf(location);
    let client = this.clients.get(key);
    if (!client) {
      const account = this.accountOf(location.accountId);
      client = new EC2Client({
        region: location.region,
        // Retries belong to RetryingProvider (backoff with jitter) so each call is paced and counted once.
        maxAttempts: 1,
        ...(account.endpoint && { endpoint: account.endpoint }),
        ...(account.profile && { profile: account.profile }),
        ...(this.options.credentials && { credentials: this.options.credentials }),
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

/** Errors that name the instances at fault, so the batch can go again without them. */
const RETRY_WITHOUT_CODES = new Set(["IncorrectInstanceState", "InvalidInstanceID.NotFound", "UnsupportedOperation"]);

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}
