// The GCP adapter through the real @google-cloud/compute clients (REST transport), against a local
// Compute Engine that answers REST v1 JSON with zonal and global operations.
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CloudProviderError, InstanceNotFoundError, ThrottledError, WaitTimeoutError } from "../../../src/providers/cloud-provider.js";
import { GcpProvider, type GcpProviderOptions } from "../../../src/providers/gcp/gcp-provider.js";
import { RequestPacer } from "../../../src/providers/request-pacer.js";
import { RetryingProvider } from "../../../src/providers/retrying-provider.js";
import { GcpComputeFake } from "../../support/clouds/gcp-compute-fake.js";

const LABELS = { "managed-by": "vm-lifecycle" };
let fake: GcpComputeFake;
const providers: GcpProvider[] = [];

beforeAll(async () => {
  fake = new GcpComputeFake();
  await fake.start();
});
afterAll(async () => {
  await Promise.all(providers.map((provider) => provider.close()));
  await fake.stop();
});
beforeEach(() => fake.reset());

/** Static test credentials: an OAuth client holding a token that never needs refreshing. */
function testAuth(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: "test-token", expiry_date: Date.now() + 3_600_000 });
  return client;
}

function gcp(overrides: Partial<GcpProviderOptions> = {}): GcpProvider {
  const provider = new GcpProvider({
    projects: [
      { projectId: "shop-prod", zones: ["europe-west1-b", "us-central1-a"] },
      { projectId: "shop-dev", zones: ["europe-west1-b"] },
    ],
    discoveryLabels: LABELS,
    pacer: new RequestPacer(),
    endpoint: fake.endpoint,
    authClient: testAuth(),
    pollIntervalMs: 0,
    clock: { sleep: async () => {} },
    ...overrides,
  });
  providers.push(provider);
  return provider;
}

function vms(count: number, status: "TERMINATED" | "RUNNING" = "TERMINATED", zone = "europe-west1-b", project = "shop-prod") {
  return Array.from({ length: count }, (_, index) => fake.addInstance({ project, zone, name: `${zone}-vm-${index}`, status, labels: LABELS }));
}

describe("power", () => {
  it("sends one start per instance, concurrently, and follows each operation to DONE", async () => {
    const machines = vms(3);
    const ids = machines.map((machine) => fake.pathOf(machine));
    const results = await gcp().powerInstances("start", ids);
    expect(results).toEqual(ids.map((resourceId) => ({ resourceId, ok: true })));
    expect(fake.callsMatching(/^POST .*\/instances\/[^/]+\/start$/).map((call) => call.path)).toEqual(ids.map((id) => `/compute/v1/${id}/start`));
    expect(fake.callsMatching(/^GET .*\/zones\/europe-west1-b\/operations\//)).toHaveLength(3);
    expect(machines.every((machine) => machine.status === "RUNNING")).toBe(true);
  });

  it("reports a zone out of capacity for that instance only, in plain words", async () => {
    const [full, fine] = vms(2);
    full!.startFailure = { code: "ZONE_RESOURCE_POOL_EXHAUSTED", message: "The zone 'projects/shop-prod/zones/europe-west1-b' does not have enough resources available to fulfill the request." };
    const results = await gcp().powerInstances("start", [fake.pathOf(full!), fake.pathOf(fine!)]);
    expect(results[1]).toEqual({ resourceId: fake.pathOf(fine!), ok: true });
    expect(results[0]).toMatchObject({ ok: false, error: { code: "ZONE_RESOURCE_POOL_EXHAUSTED" } });
    expect(!results[0]!.ok && results[0]!.error.message).toMatch(/no spare capacity for this machine type in this zone/);
    expect(full!.status).toBe("TERMINATED");
  });

  it("maps QUOTA_EXCEEDED inside an operation to plain words", async () => {
    const [machine] = vms(1);
    machine!.startFailure = { code: "QUOTA_EXCEEDED", message: "Quota 'CPUS' exceeded.  Limit: 24.0 in region europe-west1." };
    await expect(gcp().startInstance(fake.pathOf(machine!))).rejects.toMatchObject({ code: "QUOTA_EXCEEDED", message: expect.stringMatching(/quota .* is used up/) });
  });

  it("reports a reset of a stopped instance as that instance's failure", async () => {
    const [running] = vms(1, "RUNNING");
    const stopped = fake.addInstance({ project: "shop-prod", zone: "europe-west1-b", name: "stopped-one", labels: LABELS });
    const results = await gcp().powerInstances("reboot", [fake.pathOf(running!), fake.pathOf(stopped)]);
    expect(results[0]!.ok).toBe(true);
    expect(results[1]).toMatchObject({ ok: false, error: { code: "resourceNotReady" } });
    expect(!results[1]!.ok && results[1]!.error.message).toMatch(/is not ready/);
  });

  it("backs off on 429 rateLimitExceeded and then succeeds", async () => {
    const [machine] = vms(1);
    fake.throttleNext(/^POST .*\/start$/, 2);
    const heard: CloudProviderError[] = [];
    const provider = new RetryingProvider(gcp(), { minTimeoutMs: 1, maxTimeoutMs: 5, onRetry: (error) => heard.push(error) });
    expect(await provider.powerInstances("start", [fake.pathOf(machine!)])).toEqual([{ resourceId: fake.pathOf(machine!), ok: true }]);
    expect(fake.callsMatching(/^POST .*\/start$/)).toHaveLength(3);
    expect(heard.map((error) => [error instanceof ThrottledError, error.code])).toEqual([
      [true, "rateLimitExceeded"],
      [true, "rateLimitExceeded"],
    ]);
  });

  it("answers a missing instance as not found", async () => {
    const [machine] = vms(1);
    const [found, missing] = await gcp().describeInstances([fake.pathOf(machine!), "projects/shop-prod/zones/europe-west1-b/instances/gone"]);
    expect(found).toMatchObject({ name: machine!.name, state: "stopped", providerState: "TERMINATED", region: "europe-west1-b", tags: LABELS });
    expect(missing).toBeInstanceOf(InstanceNotFoundError);
  });

  it("describes several instances of a zone with one list call (paged), not one GET each", async () => {
    const machines = vms(3, "RUNNING");
    const ids = [...machines.map((machine) => fake.pathOf(machine)), "projects/shop-prod/zones/europe-west1-b/instances/gone"];
    const before = fake.callsMatching(/^GET /).length;
    const answers = await gcp().describeInstances(ids);
    expect(answers.slice(0, 3).map((answer) => (answer as { name: string }).name)).toEqual(machines.map((machine) => machine.name));
    expect(answers.slice(0, 3).every((answer) => (answer as { state: string }).state === "running")).toBe(true);
    expect(answers[3]).toBeInstanceOf(InstanceNotFoundError);
    const reads = fake.callsMatching(/^GET /).slice(before);
    expect(reads.every((call) => /\/zones\/europe-west1-b\/instances$/.test(call.path))).toBe(true);
    expect(reads.length).toBeGreaterThanOrEqual(1);
  });

  it("waits for the target state, bounded", async () => {
    const [machine] = vms(1);
    machine!.status = "STAGING";
    let now = 0;
    const provider = gcp({ clock: { now: () => new Date(now), sleep: async (ms) => void (now += ms) } });
    await expect(provider.waitForState(fake.pathOf(machine!), "running", { timeoutMs: 30_000, pollIntervalMs: 10_000 })).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(fake.callsMatching(/^GET .*\/instances\/[^/]+$/)).toHaveLength(4);
  });
});

describe("snapshots and restore", () => {
  it("snapshots the boot disk, lists, describes and deletes it", async () => {
    const [machine] = vms(1, "RUNNING");
    const provider = gcp();
    const id = fake.pathOf(machine!);
    const created = await provider.createSnapshot(id, "Before upgrade");
    expect(created).toMatchObject({ resourceId: id, name: "Before upgrade", state: "creating" });
    expect(created.snapshotId).toMatch(/^projects\/shop-prod\/global\/snapshots\/before-upgrade-/);
    const call = fake.callsMatching(/createSnapshot$/)[0]!;
    expect(call.path).toBe(`/compute/v1/projects/shop-prod/zones/europe-west1-b/disks/${machine!.name}/createSnapshot`);
    expect(call.body).toMatchObject({ labels: { ...LABELS, "vm-lifecycle-instance": `europe-west1-b_${machine!.name}` } });

    expect(await provider.listSnapshots(id)).toEqual([expect.objectContaining({ snapshotId: created.snapshotId, name: "Before upgrade", resourceId: id })]);
    expect(await provider.describeSnapshot(created.snapshotId)).toMatchObject({ state: "creating" });
    expect(await provider.describeSnapshot(created.snapshotId)).toMatchObject({ state: "available", sizeGb: 10 });
    await provider.deleteSnapshot(created.snapshotId);
    expect(fake.callsMatching(/^GET .*\/global\/operations\//)).toHaveLength(1);
    expect(await provider.listSnapshots(id)).toEqual([]);
  });

  it.each(["RUNNING", "TERMINATED"] as const)("swaps the boot disk of a %s instance and returns it to that state", async (status) => {
    const [machine] = vms(1, status);
    const provider = gcp();
    const id = fake.pathOf(machine!);
    const snapshot = await provider.createSnapshot(id, "golden");
    const oldBoot = machine!.disks[0]!.source;
    await provider.restoreSnapshot(id, snapshot.snapshotId);

    const boot = machine!.disks.find((disk) => disk.boot)!;
    expect(boot.source).not.toBe(oldBoot);
    expect(boot.deviceName).toBe("persistent-disk-0");
    expect(fake.disks.get(boot.source.split("/projects/")[1]!.replace("/zones/", "/").replace("/disks/", "/"))?.sourceSnapshot).toMatch(/global\/snapshots\/golden-/);
    expect(machine!.status).toBe(status);
    const steps = fake.calls.filter((call) => call.method === "POST").map((call) => call.path.split("/").pop());
    expect(steps).toEqual(status === "RUNNING" ? ["createSnapshot", "disks", "stop", "detachDisk", "attachDisk", "start"] : ["createSnapshot", "disks", "detachDisk", "attachDisk"]);
    expect(await provider.describeInstance(id)).toMatchObject({ state: status === "RUNNING" ? "running" : "stopped" });
  });
});

describe("discovery by label", () => {
  it("lists the labelled instances of every project and zone, page by page", async () => {
    vms(501);
    fake.addInstance({ project: "shop-prod", zone: "europe-west1-b", name: "unmanaged" });
    vms(2, "RUNNING", "us-central1-a");
    vms(1, "RUNNING", "europe-west1-b", "shop-dev");
    const found = await gcp().discoverInstances();
    expect(found).toHaveLength(504);
    expect(found.find((instance) => instance.name === "unmanaged")).toBeUndefined();
    const lists = fake.callsMatching(/^GET .*\/instances$/);
    expect(lists.map((call) => [call.path, call.query.get("pageToken")])).toEqual([
      ["/compute/v1/projects/shop-prod/zones/europe-west1-b/instances", null],
      ["/compute/v1/projects/shop-prod/zones/europe-west1-b/instances", "500"],
      ["/compute/v1/projects/shop-prod/zones/us-central1-a/instances", null],
      ["/compute/v1/projects/shop-dev/zones/europe-west1-b/instances", null],
    ]);
    expect(lists[0]!.query.get("filter")).toBe('labels.managed-by = "vm-lifecycle"');
    expect(found[0]!.resourceId).toBe("projects/shop-prod/zones/europe-west1-b/instances/europe-west1-b-vm-0");
  });
});
