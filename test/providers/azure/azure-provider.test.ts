// The Azure adapter through the real @azure/arm-compute client, pointed at the local ARM fake over https
// (the SDK only sends bearer tokens over TLS; the agent trusts only the fake's certificate).
import { Agent } from "node:https";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TokenCredential } from "@azure/identity";
import { CloudProviderError, InstanceNotFoundError, ThrottledError, type CloudProvider } from "../../../src/providers/cloud-provider.js";
import { createAzureProvider, type AzureProviderOptions } from "../../../src/providers/azure/index.js";
import { RetryingProvider } from "../../../src/providers/retrying-provider.js";
import { AzureArmFake, FAKE_ARM_TOKEN, FAKE_TLS_CERT } from "../../support/clouds/azure-arm-fake.js";
import { testClock } from "../simulator/test-clock.js";

const SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
const OTHER_SUBSCRIPTION = "99999999-8888-7777-6666-555555555555";
const MANAGED = { "managed-by": "vm-lifecycle" };

// A static credential: the production path is DefaultAzureCredential, tests need no token endpoint.
const credential: TokenCredential = {
  getToken: async () => ({ token: FAKE_ARM_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe("Azure adapter against the ARM fake", () => {
  let fake: AzureArmFake;
  const agent = new Agent({ ca: FAKE_TLS_CERT });

  beforeAll(async () => {
    fake = await AzureArmFake.start();
  });
  afterAll(async () => {
    await fake.close();
    agent.destroy();
  });
  beforeEach(() => {
    fake.vms.clear();
    fake.snapshots.clear();
    fake.disks.clear();
    fake.requests.length = 0;
    fake.maxOpenOperations = 0;
  });

  function provider(options: Partial<AzureProviderOptions> = {}): CloudProvider {
    return createAzureProvider({
      subscriptions: [{ subscriptionId: SUBSCRIPTION }, { subscriptionId: OTHER_SUBSCRIPTION }],
      credential,
      endpoint: fake.endpoint,
      clientOptions: { agent },
      operationPollIntervalMs: 1,
      pollIntervalMs: 1_000,
      verifyTimeoutMs: 60_000,
      clock: testClock(),
      ...options,
    });
  }

  function addVm(name: string, power: "running" | "deallocated" | "stopped" = "running", tags: Record<string, string> = MANAGED) {
    return fake.addVm({ subscriptionId: SUBSCRIPTION, resourceGroup: "rg-app", name, power, tags });
  }

  it("describes a VM from its instance view", async () => {
    const id = addVm("web-1", "deallocated");
    const instance = await provider().describeInstance(id);
    expect(instance).toMatchObject({ resourceId: id, name: "web-1", region: "westeurope", state: "stopped", providerState: "VM deallocated" });
    expect(instance.details).toMatchObject({ instanceType: "Standard_B2s", deallocated: true });
    const get = fake.requests.find((request) => request.method === "GET" && request.path.endsWith("/web-1"));
    expect(get?.query.get("$expand")).toBe("instanceView");
  });

  it("discovers tagged VMs across subscriptions, following nextLink pages", async () => {
    addVm("web-1");
    addVm("web-2", "deallocated");
    addVm("web-3");
    addVm("untagged", "running", { team: "other" });
    fake.addVm({ subscriptionId: OTHER_SUBSCRIPTION, resourceGroup: "rg-data", name: "db-1", tags: { "Managed-By": "vm-lifecycle" } });

    const instances = await provider().listInstances();

    expect(instances.map((instance) => [instance.name, instance.state]).sort()).toEqual([
      ["db-1", "running"],
      ["web-1", "running"],
      ["web-2", "stopped"],
      ["web-3", "running"],
    ]);
    // 4 VMs in the first subscription at 2 per page: two pages of models and two of statuses.
    const listCalls = fake.requests.filter((request) => request.path === `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Compute/virtualMachines`);
    expect(listCalls).toHaveLength(4);
    expect(listCalls.filter((request) => request.query.get("statusOnly") === "true")).toHaveLength(2);
  });

  it("limits discovery to the configured resource groups and locations", async () => {
    addVm("web-1");
    fake.addVm({ subscriptionId: SUBSCRIPTION, resourceGroup: "rg-other", name: "elsewhere", tags: MANAGED });
    fake.addVm({ subscriptionId: SUBSCRIPTION, resourceGroup: "rg-app", name: "far-away", location: "eastus", tags: MANAGED });
    const scoped = provider({ subscriptions: [{ subscriptionId: SUBSCRIPTION, resourceGroups: ["RG-APP"], locations: ["westeurope"] }] });
    expect((await scoped.listInstances()).map((instance) => instance.name)).toEqual(["web-1"]);
  });

  it("starts a VM, following the async operation, and verifies it is running", async () => {
    const id = addVm("web-1", "deallocated");
    await provider().startInstance(id);
    expect(fake.vm("web-1").power).toBe("running");
    expect(fake.count("POST", /\/web-1\/start$/)).toBe(1);
    expect(fake.count("GET", /\/operations\//)).toBeGreaterThanOrEqual(2);
  });

  it("stops by deallocating by default, so compute billing stops", async () => {
    const id = addVm("web-1");
    await provider().stopInstance(id);
    expect(fake.vm("web-1").power).toBe("deallocated");
    expect(fake.count("POST", /\/web-1\/deallocate$/)).toBe(1);
    expect(fake.count("POST", /\/web-1\/powerOff$/)).toBe(0);
  });

  it("powers off instead when stopMode is powerOff (the VM stays allocated and billed)", async () => {
    const id = addVm("web-1");
    const azure = provider({ stopMode: "powerOff" });
    await azure.stopInstance(id);
    expect(fake.vm("web-1").power).toBe("stopped");
    expect(fake.count("POST", /\/web-1\/powerOff$/)).toBe(1);
    expect((await azure.describeInstance(id)).details.deallocated).toBe(false);
  });

  it("reboots with restart", async () => {
    const id = addVm("web-1");
    await provider().rebootInstance(id);
    expect(fake.count("POST", /\/web-1\/restart$/)).toBe(1);
    expect(fake.vm("web-1").power).toBe("running");
  });

  it("powers a batch with one call per VM, bounded, and answers per VM", async () => {
    const ids = ["a", "b", "c", "d", "e"].map((name) => addVm(name, "deallocated"));
    const missing = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/ghost`;
    fake.failOperation("c", "start", { code: "ZonalAllocationFailed", message: "Allocation failed. We do not have sufficient capacity for the requested VM size in this zone." });

    const results = await provider({ maxConcurrency: 2 }).powerInstances("start", [...ids, missing]);

    expect(results.map((result) => [result.resourceId.split("/").pop(), result.ok])).toEqual([
      ["a", true],
      ["b", true],
      ["c", false],
      ["d", true],
      ["e", true],
      ["ghost", false],
    ]);
    const capacity = results[2];
    expect(capacity?.ok === false && capacity.error).toMatchObject({ code: "ZonalAllocationFailed" });
    expect(capacity?.ok === false && capacity.error.message).toMatch(/no capacity for c's size/);
    expect(results[5]?.ok === false && results[5].error).toBeInstanceOf(InstanceNotFoundError);
    // One POST per VM (the unknown one included: ARM answers it 404).
    expect(fake.count("POST", /\/start$/)).toBe(6);
    expect(fake.maxOpenOperations).toBe(2);
  });

  it("honours Retry-After on a throttled call through RetryingProvider", async () => {
    const id = addVm("web-1", "deallocated");
    fake.failNext({ method: "POST", path: /\/web-1\/start$/ }, 429, { code: "TooManyRequests", message: "The request is being throttled." }, "7");
    const waits: number[] = [];
    const retrying = new RetryingProvider(provider(), { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2, sleep: async (ms) => void waits.push(ms) });

    await retrying.startInstance(id);

    expect(waits).toEqual([7_000]);
    expect(fake.count("POST", /\/web-1\/start$/)).toBe(2);
    expect(fake.vm("web-1").power).toBe("running");
  });

  it("reports throttling as a retryable ThrottledError carrying Retry-After", async () => {
    const id = addVm("web-1");
    fake.failNext({ method: "GET", path: /\/web-1$/ }, 429, { code: "TooManyRequests", message: "The request is being throttled." }, "3");
    const error = await provider().describeInstance(id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 3_000 });
  });

  it("fails a start that Azure accepted but that left the VM stopped, with the cloud's words", async () => {
    const id = addVm("web-1", "deallocated");
    fake.leaveStopped("web-1");
    const error = await provider({ verifyTimeoutMs: 30_000, pollIntervalMs: 5_000 }) // test clock: no real wait
      .startInstance(id)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CloudProviderError);
    expect(error).toMatchObject({ code: "TargetStateNotReached", message: expect.stringMatching(/accepted the start of web-1 but it is still VM deallocated/) });
  });

  it("names a Key Vault / disk encryption set problem in plain words, keeping Azure's code", async () => {
    const id = addVm("web-1", "deallocated");
    fake.leaveStopped("web-1", { code: "KeyVaultAccessForbidden", message: "The disk encryption set's identity does not have get permission on the key." });
    const error = await provider().startInstance(id).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "KeyVaultAccessForbidden", message: expect.stringMatching(/cannot use the encryption key of web-1's disks/) });
  });

  it.each([
    [403, "AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.Compute/virtualMachines/start/action'.", /not allowed to start web-1/],
    [409, "OperationNotAllowed", "Operation results in exceeding quota limits of Core. Maximum allowed: 10, Current in use: 10.", /quota does not allow the start of web-1/],
  ])("maps an HTTP %i %s to plain words", async (status, code, message, words) => {
    const id = addVm("web-1", "deallocated");
    fake.failNext({ method: "POST", path: /\/start$/ }, status, { code, message });
    const error = await provider().startInstance(id).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code, retryable: false, message: expect.stringMatching(words) });
  });

  it("describes several VMs of a subscription with its two list reads, not one GET each", async () => {
    const ids = [addVm("web-1", "running"), addVm("web-2", "deallocated"), addVm("db-1", "running", {})];
    const ghost = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/ghost`;
    const answers = await provider().describeInstances([...ids, ghost]);
    expect(answers.slice(0, 3).map((answer) => (answer as { state: string }).state)).toEqual(["running", "stopped", "running"]);
    expect(answers[3]).toBeInstanceOf(InstanceNotFoundError);
    expect(fake.count("GET", /\/virtualMachines\/[^/]+$/)).toBe(0);
    expect(fake.count("GET", /\/providers\/Microsoft\.Compute\/virtualMachines$/)).toBeGreaterThanOrEqual(2);
  });

  it("reports an unknown VM as InstanceNotFoundError", async () => {
    const missing = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/ghost`;
    await expect(provider().describeInstance(missing)).rejects.toBeInstanceOf(InstanceNotFoundError);
    const [answer] = await provider().describeInstances([missing]);
    expect(answer).toBeInstanceOf(InstanceNotFoundError);
  });

  it("creates, lists, describes and deletes snapshots of the OS disk", async () => {
    const id = addVm("web-1");
    const azure = provider();

    const snapshot = await azure.createSnapshot(id, "before upgrade");

    expect(snapshot).toMatchObject({ resourceId: id, name: "before upgrade", state: "available", sizeGb: 30 });
    expect(snapshot.snapshotId).toMatch(/\/providers\/Microsoft\.Compute\/snapshots\/web-1-before-upgrade-\d{8}T\d{6}$/);
    const put = fake.requests.find((request) => request.method === "PUT" && request.path.includes("/snapshots/"));
    expect(put?.body).toMatchObject({ properties: { creationData: { createOption: "Copy", sourceResourceId: expect.stringMatching(/\/disks\/web-1_OsDisk_1$/) } } });

    expect((await azure.listSnapshots(id)).map((listed) => listed.snapshotId)).toEqual([snapshot.snapshotId]);
    expect(await azure.describeSnapshot(snapshot.snapshotId)).toMatchObject({ state: "available" });

    await azure.deleteSnapshot(snapshot.snapshotId);
    expect(await azure.listSnapshots(id)).toEqual([]);
    await expect(azure.describeSnapshot(snapshot.snapshotId)).rejects.toMatchObject({ code: "ResourceNotFound" });
  });

  it("restores a running VM by OS-disk swap and returns it to running", async () => {
    const id = addVm("web-1");
    const azure = provider();
    const snapshot = await azure.createSnapshot(id, "good");

    await azure.restoreSnapshot(id, snapshot.snapshotId);

    const vm = fake.vm("web-1");
    expect(vm.power).toBe("running");
    expect(vm.osDiskName).toMatch(/^web-1-osdisk-web-1-good-/);
    expect(fake.disks.get(vm.osDiskName.toLowerCase())?.sourceResourceId).toBe(snapshot.snapshotId);
    // Deallocate, new disk, swap, start: in that order.
    const writes = fake.requests.filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path.split("/").slice(-2).join("/")}`);
    expect(writes.slice(1)).toEqual([
      "POST web-1/deallocate",
      `PUT disks/${vm.osDiskName}`,
      "PATCH virtualMachines/web-1",
      "POST web-1/start",
    ]);
    const patch = fake.requests.find((request) => request.method === "PATCH");
    expect(patch?.body).toMatchObject({ properties: { storageProfile: { osDisk: { name: vm.osDiskName, managedDisk: { id: expect.stringContaining(`/disks/${vm.osDiskName}`) } } } } });
  });

  it("restores a deallocated VM and leaves it deallocated", async () => {
    const id = addVm("web-1", "deallocated");
    const azure = provider();
    const snapshot = await azure.createSnapshot(id, "good");
    await azure.restoreSnapshot(id, snapshot.snapshotId);
    expect(fake.vm("web-1").power).toBe("deallocated");
    expect(fake.count("POST", /\/(start|deallocate)$/)).toBe(0);
  });

  it("deallocates a powered-off VM before the swap (Azure requires it) and leaves it deallocated", async () => {
    const id = addVm("web-1", "stopped");
    const azure = provider();
    const snapshot = await azure.createSnapshot(id, "good");
    await azure.restoreSnapshot(id, snapshot.snapshotId);
    expect(fake.vm("web-1").power).toBe("deallocated");
    expect(fake.vm("web-1").osDiskName).toMatch(/^web-1-osdisk-/);
    expect(fake.count("POST", /\/web-1\/deallocate$/)).toBe(1);
  });

  it("starts the VM again when the swap is refused, and says why", async () => {
    const id = addVm("web-1");
    const azure = provider();
    const snapshot = await azure.createSnapshot(id, "good");
    fake.failNext({ method: "PATCH", path: /\/web-1$/ }, 403, {
      code: "AuthorizationFailed",
      message: "The client does not have authorization to perform action 'Microsoft.Compute/virtualMachines/write'.",
    });

    const error = await azure.restoreSnapshot(id, snapshot.snapshotId).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: "AuthorizationFailed", message: expect.stringMatching(/not allowed to restore web-1/) });
    expect(fake.vm("web-1").power).toBe("running");
    expect(fake.vm("web-1").osDiskName).toBe("web-1_OsDisk_1");
  });

  it("refuses a restore from a missing snapshot before touching the VM", async () => {
    const id = addVm("web-1");
    const missing = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/snapshots/ghost`;
    await expect(provider().restoreSnapshot(id, missing)).rejects.toMatchObject({ code: "ResourceNotFound", message: expect.stringMatching(/ghost was not found/) });
    expect(fake.count("POST", /./)).toBe(0);
    expect(fake.vm("web-1").power).toBe("running");
  });

  it("refuses ids that are not ARM VM ids and subscriptions it was not given", async () => {
    await expect(provider().describeInstance("i-0123456789abcdef0")).rejects.toMatchObject({ code: "InvalidResourceId" });
    const foreign = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x";
    await expect(provider().describeInstance(foreign)).rejects.toMatchObject({ code: "SubscriptionNotConfigured" });
  });

  it("sends every call through the pace hook, keyed by subscription and read/write", async () => {
    const id = addVm("web-1", "deallocated");
    const keys: string[] = [];
    const pace = <T>(key: string, call: () => Promise<T>) => {
      keys.push(key);
      return call();
    };
    await provider({ pace }).startInstance(id);
    expect(keys[0]).toBe(`azure:${SUBSCRIPTION}:write`);
    expect(keys.slice(1).every((key) => key === `azure:${SUBSCRIPTION}:read`)).toBe(true);
  });
});
