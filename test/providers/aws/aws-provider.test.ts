// The AWS adapter through the real @aws-sdk/client-ec2 client, against a local EC2 that speaks the
// Query API: the tests read what the SDK actually sent (actions, ids, regions, pages).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AwsProvider, SNAPSHOT_INSTANCE_TAG, type AwsProviderOptions } from "../../../src/providers/aws/aws-provider.js";
import { CloudProviderError, InstanceNotFoundError, ThrottledError, WaitTimeoutError } from "../../../src/providers/cloud-provider.js";
import { RequestPacer } from "../../../src/providers/request-pacer.js";
import { RetryingProvider } from "../../../src/providers/retrying-provider.js";
import { AwsEc2Fake } from "../../support/clouds/aws-ec2-fake.js";

const ACCOUNT = "123456789012";
const TAGS = { "managed-by": "vm-lifecycle" };
let fake: AwsEc2Fake;

beforeAll(async () => {
  fake = new AwsEc2Fake({ accountId: ACCOUNT });
  await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.instances.clear();
  fake.snapshots.clear();
  fake.tasks.clear();
  fake.calls.length = 0;
});

function aws(overrides: Partial<AwsProviderOptions> = {}): AwsProvider {
  return new AwsProvider({
    accounts: [{ accountId: ACCOUNT, regions: ["us-east-1", "eu-west-1"], endpoint: fake.endpoint }],
    discoveryTags: TAGS,
    pacer: new RequestPacer(),
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
    pollIntervalMs: 0,
    clock: { sleep: async () => {} },
    ...overrides,
  });
}

function stoppedVms(region: string, count: number, state: "stopped" | "running" = "stopped") {
  return Array.from({ length: count }, (_, index) => fake.addInstance({ region, name: `${region}-vm-${index}`, state, tags: TAGS }));
}

describe("batching", () => {
  it("starts many instances of one region with one StartInstances call", async () => {
    const vms = stoppedVms("us-east-1", 40);
    const results = await aws().powerInstances("start", vms.map((vm) => fake.arnOf(vm)));
    expect(results.every((result) => result.ok)).toBe(true);
    const calls = fake.callsOf("StartInstances");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.list("InstanceId")).toEqual(vms.map((vm) => vm.id));
    expect(vms.every((vm) => vm.state === "pending")).toBe(true);
  });

  it("sends one call per region, each with that region's instances", async () => {
    const east = stoppedVms("us-east-1", 3, "running");
    const west = stoppedVms("eu-west-1", 2, "running");
    const ids = [east[0]!, west[0]!, east[1]!, west[1]!, east[2]!].map((vm) => fake.arnOf(vm));
    const results = await aws().powerInstances("stop", ids);
    expect(results.map((result) => result.resourceId)).toEqual(ids);
    expect(results.every((result) => result.ok)).toBe(true);
    const calls = fake.callsOf("StopInstances");
    expect(calls.map((call) => [call.region, call.list("InstanceId")]).sort()).toEqual(
      [
        ["eu-west-1", west.map((vm) => vm.id)],
        ["us-east-1", east.map((vm) => vm.id)],
      ].sort(),
    );
  });

  it("retries a batch without the instance in the wrong state and reports it", async () => {
    const [first, stuck, last] = stoppedVms("us-east-1", 3);
    stuck!.state = "stopping";
    const ids = [first!, stuck!, last!].map((vm) => fake.arnOf(vm));
    const results = await aws().powerInstances("start", ids);
    expect(results[0]).toEqual({ resourceId: ids[0], ok: true });
    expect(results[2]).toEqual({ resourceId: ids[2], ok: true });
    expect(results[1]).toMatchObject({ resourceId: ids[1], ok: false, error: { code: "IncorrectInstanceState" } });
    expect(!results[1]!.ok && results[1]!.error.message).toMatch(/not in a state from which it can be started/);
    const calls = fake.callsOf("StartInstances");
    expect(calls.map((call) => call.list("InstanceId"))).toEqual([[first!.id, stuck!.id, last!.id], [first!.id, last!.id]]);
    expect(stuck!.state).toBe("stopping");
  });

  it("answers each id of a batch describe, a missing one as not found", async () => {
    const [vm] = stoppedVms("eu-west-1", 1);
    const missing = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0000000000000dead`;
    const [found, notFound] = await aws().describeInstances([fake.arnOf(vm!), missing]);
    expect(found).toMatchObject({ resourceId: fake.arnOf(vm!), name: "eu-west-1-vm-0", state: "stopped", region: "eu-west-1", tags: TAGS });
    expect(notFound).toBeInstanceOf(InstanceNotFoundError);
    expect(fake.callsOf("DescribeInstances")).toHaveLength(1);
  });
});

describe("throttling and errors", () => {
  it("backs off on RequestLimitExceeded and then succeeds", async () => {
    const vms = stoppedVms("us-east-1", 2);
    fake.throttleNext("StartInstances", 2);
    const heard: CloudProviderError[] = [];
    const provider = new RetryingProvider(aws(), { minTimeoutMs: 1, maxTimeoutMs: 5, onRetry: (error) => heard.push(error) });
    const results = await provider.powerInstances("start", vms.map((vm) => fake.arnOf(vm)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(fake.callsOf("StartInstances")).toHaveLength(3);
    expect(heard).toHaveLength(2);
    expect(heard[0]).toBeInstanceOf(ThrottledError);
    expect(heard[0]).toMatchObject({ code: "RequestLimitExceeded", retryable: true });
  });

  it("gives up after the retries and reports the throttling", async () => {
    const [vm] = stoppedVms("us-east-1", 1);
    fake.throttleNext("DescribeInstances", 10);
    const provider = new RetryingProvider(aws(), { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2 });
    await expect(provider.describeInstance(fake.arnOf(vm!))).rejects.toMatchObject({ code: "RequestLimitExceeded", message: expect.stringMatching(/throttling/) });
    expect(fake.callsOf("DescribeInstances")).toHaveLength(3);
  });

  it.each([
    ["InsufficientInstanceCapacity", "We currently do not have sufficient t3.micro capacity in the Availability Zone you requested (us-east-1a).", /no spare capacity/],
    ["VcpuLimitExceeded", "You have requested more vCPU capacity than your current vCPU limit of 32 allows.", /vCPU quota/],
    ["InstanceLimitExceeded", "Your quota allows for 0 more running instance(s).", /instance quota/],
    ["UnauthorizedOperation", "You are not authorized to perform this operation.", /not allowed to start/],
  ])("maps %s to plain words and keeps the code", async (code, message, plain) => {
    const [vm] = stoppedVms("us-east-1", 1);
    fake.failNext("StartInstances", code, message);
    const error = await aws().startInstance(fake.arnOf(vm!)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CloudProviderError);
    expect(error).toMatchObject({ code, retryable: false });
    expect((error as Error).message).toMatch(plain);
    expect((error as Error).message).toContain(message);
  });
});

describe("verification", () => {
  it("reports a start that AWS accepted but that ended stopped (KMS) with the reason in plain words", async () => {
    const vm = fake.addInstance({ region: "us-east-1", name: "encrypted", state: "stopped", tags: TAGS, kmsBroken: true });
    const provider = aws();
    await provider.startInstance(fake.arnOf(vm));
    const settled = await provider.waitForState(fake.arnOf(vm), "running");
    expect(settled.state).toBe("error");
    expect(settled.providerState).toBe("stopped");
    expect(settled.stateMessage).toMatch(/KMS key that encrypts its EBS volume cannot be used/);
    expect(settled.stateMessage).toContain("Client.InvalidKMSKey.InvalidState");
    // The same answer for whoever only describes it (the operation tracker does).
    expect(await provider.describeInstance(fake.arnOf(vm))).toMatchObject({ state: "error", providerState: "stopped", details: { stateReasonCode: "Client.InvalidKMSKey.InvalidState" } });
  });

  it("waits for the target state and reports it", async () => {
    const [vm] = stoppedVms("us-east-1", 1);
    const provider = aws();
    await provider.startInstance(fake.arnOf(vm!));
    const seen: string[] = [];
    const settled = await provider.waitForState(fake.arnOf(vm!), "running", { onPoll: (instance) => seen.push(instance.providerState) });
    expect(settled).toMatchObject({ state: "running", providerState: "running" });
    expect(seen).toEqual(["pending", "running"]);
  });

  it("gives up at the deadline when the instance never gets there", async () => {
    const [vm] = stoppedVms("us-east-1", 1);
    vm!.state = "pending";
    vm!.settle = { to: "running", afterDescribes: 1_000_000 };
    let now = 0;
    const provider = aws({ clock: { now: () => new Date(now), sleep: async (ms) => void (now += ms) } });
    await expect(provider.waitForState(fake.arnOf(vm!), "running", { timeoutMs: 60_000, pollIntervalMs: 5_000 })).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(now).toBe(60_000);
    expect(fake.callsOf("DescribeInstances")).toHaveLength(13);
  });
});

describe("snapshots and restore", () => {
  it("snapshots the root volume tagged with the instance, lists, describes and deletes it", async () => {
    const [vm] = stoppedVms("eu-west-1", 1, "running");
    const provider = aws();
    const arn = fake.arnOf(vm!);
    const created = await provider.createSnapshot(arn, "before-upgrade");
    expect(created).toMatchObject({ resourceId: arn, name: "before-upgrade", state: "creating" });
    expect(created.snapshotId).toMatch(new RegExp(`^arn:aws:ec2:eu-west-1:${ACCOUNT}:snapshot/snap-`));
    const call = fake.callsOf("CreateSnapshot")[0]!;
    expect(call.params.VolumeId).toBe(vm!.rootVolumeId);
    expect(call.params["TagSpecification.1.ResourceType"]).toBe("snapshot");
    expect([...fake.snapshots.values()][0]!.tags).toMatchObject({ Name: "before-upgrade", [SNAPSHOT_INSTANCE_TAG]: arn, ...TAGS });

    expect(await provider.listSnapshots(arn)).toEqual([expect.objectContaining({ snapshotId: created.snapshotId, name: "before-upgrade" })]);
    expect(await provider.describeSnapshot(created.snapshotId)).toMatchObject({ state: "available", sizeGb: 8 });
    await provider.deleteSnapshot(created.snapshotId);
    expect(await provider.listSnapshots(arn)).toEqual([]);
    await expect(provider.describeSnapshot(created.snapshotId)).rejects.toMatchObject({ code: "InvalidSnapshot.NotFound" });
  });

  it.each(["running", "stopped"] as const)("restores the root volume of a %s instance and leaves it so", async (state) => {
    const [vm] = stoppedVms("us-east-1", 1, state);
    const provider = aws();
    const arn = fake.arnOf(vm!);
    const snapshot = await provider.createSnapshot(arn, "golden");
    const oldVolume = vm!.rootVolumeId;
    await provider.restoreSnapshot(arn, snapshot.snapshotId);
    const create = fake.callsOf("CreateReplaceRootVolumeTask")[0]!;
    expect(create.params).toMatchObject({ InstanceId: vm!.id, SnapshotId: snapshot.snapshotId.split("/")[1], DeleteReplacedRootVolume: "false" });
    expect(fake.callsOf("DescribeReplaceRootVolumeTasks").length).toBeGreaterThanOrEqual(2);
    expect(vm!.rootVolumeId).not.toBe(oldVolume);
    expect(await provider.describeInstance(arn)).toMatchObject({ state });
  });

  it("refuses a snapshot from another region before calling EC2", async () => {
    const [vm] = stoppedVms("us-east-1", 1);
    const elsewhere = `arn:aws:ec2:eu-west-1:${ACCOUNT}:snapshot/snap-0123456789abcdef0`;
    await expect(aws().restoreSnapshot(fake.arnOf(vm!), elsewhere)).rejects.toMatchObject({ code: "InvalidParameterCombination" });
    expect(fake.calls).toEqual([]);
  });

  it("reports a replacement task that failed", async () => {
    const [vm] = stoppedVms("us-east-1", 1);
    const provider = aws();
    const snapshot = await provider.createSnapshot(fake.arnOf(vm!), "golden");
    fake.failNextRestore = true;
    await expect(provider.restoreSnapshot(fake.arnOf(vm!), snapshot.snapshotId)).rejects.toMatchObject({ code: "ReplaceRootVolumeTask.failed" });
  });
});

describe("discovery by tag", () => {
  it("finds the tagged instances of every region, 1,000 per page", async () => {
    stoppedVms("us-east-1", 1_005);
    fake.addInstance({ region: "us-east-1", name: "unmanaged", state: "running" });
    stoppedVms("eu-west-1", 2, "running");
    const found = await aws().discoverInstances();
    expect(found).toHaveLength(1_007);
    expect(found.some((instance) => instance.name === "unmanaged")).toBe(false);
    const calls = fake.callsOf("DescribeInstances");
    expect(calls.map((call) => [call.region, call.params.MaxResults, call.params.NextToken])).toEqual([
      ["us-east-1", "1000", undefined],
      ["us-east-1", "1000", "1000"],
      ["eu-west-1", "1000", undefined],
    ]);
    expect(calls[0]!.params).toMatchObject({ "Filter.1.Name": "tag:managed-by", "Filter.1.Value.1": "vm-lifecycle" });
  });
});

describe("pacing inside EC2's buckets", () => {
  it("never trips the StartInstances bucket (5, refill 2/s) that an unpaced client trips", async () => {
    const clock = { at: 0, now: () => clock.at, sleep: async (ms: number) => void (clock.at += ms) };
    const paced = new AwsEc2Fake({
      accountId: ACCOUNT,
      now: clock.now,
      buckets: { StartInstances: { capacity: 5, refillPerSecond: 2 }, "StartInstances:instances": { capacity: 1000, refillPerSecond: 2 }, nonMutating: { capacity: 100, refillPerSecond: 20 } },
    });
    await paced.start();
    try {
      const machines = Array.from({ length: 12 }, (_, index) => paced.addInstance({ region: "us-east-1", name: `vm-${index}`, tags: TAGS }));
      const options = {
        accounts: [{ accountId: ACCOUNT, regions: ["us-east-1"], endpoint: paced.endpoint }],
        discoveryTags: TAGS,
        credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
      };
      const provider = new AwsProvider({ ...options, pacer: new RequestPacer(clock) });
      for (const machine of machines) await provider.startInstance(paced.arnOf(machine));
      expect(paced.callsOf("StartInstances")).toHaveLength(12);
      expect(machines.every((machine) => machine.state === "pending")).toBe(true);
      // 5 at once, then one every 500 ms.
      expect(clock.at).toBe(3_500);

      // The same calls from a client that does not pace itself are throttled by the emulated bucket.
      for (const machine of machines) machine.state = "stopped";
      const unpaced = new AwsProvider({ ...options, pacer: new RequestPacer({ now: () => 0 }) });
      const answers = await Promise.allSettled(machines.slice(0, 3).map((machine) => unpaced.startInstance(paced.arnOf(machine))));
      expect(answers.filter((answer) => answer.status === "rejected" && answer.reason instanceof ThrottledError).length).toBeGreaterThan(0);
    } finally {
      await paced.stop();
    }
  });
});
