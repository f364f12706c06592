// The OCI adapter through the real oci-core clients, pointed at the local OCI Core fake. Requests are
// really signed with a freshly generated RSA key and the fake verifies every signature.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as common from "oci-common";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { CloudProviderError, InstanceNotFoundError, ThrottledError, type CloudProvider } from "../../../src/providers/cloud-provider.js";
import { createOciProvider, type OciProviderOptions } from "../../../src/providers/oci/index.js";
import { RetryingProvider } from "../../../src/providers/retrying-provider.js";
import { OciCoreFake } from "../../support/clouds/oci-core-fake.js";
import { testClock } from "../simulator/test-clock.js";

const TENANCY = "ocid1.tenancy.oc1..aaaatenancy";
const USER = "ocid1.user.oc1..aaaauser";
const FINGERPRINT = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
const APPS = "ocid1.compartment.oc1..aaaaapps";
const DATA = "ocid1.compartment.oc1..aaaadata";
const MANAGED = { "managed-by": "vm-lifecycle" };

describe("OCI adapter against the OCI Core fake", () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const authenticationDetailsProvider = new common.SimpleAuthenticationDetailsProvider(
    TENANCY,
    USER,
    FINGERPRINT,
    privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    null,
  );
  let fake: OciCoreFake;

  beforeAll(async () => {
    fake = await OciCoreFake.start(publicKey, `${TENANCY}/${USER}/${FINGERPRINT}`);
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  function provider(options: Partial<OciProviderOptions> = {}): CloudProvider {
    return createOciProvider({
      compartments: [APPS, DATA],
      regions: ["us-ashburn-1", "us-phoenix-1"],
      authenticationDetailsProvider,
      endpoints: { "us-ashburn-1": fake.endpointFor("us-ashburn-1"), "us-phoenix-1": fake.endpointFor("us-phoenix-1") },
      pollIntervalMs: 1_000,
      clock: testClock(),
      ...options,
    });
  }

  it("signs every request in OCI's HTTP signature scheme (verified by the fake)", async () => {
    const id = fake.addInstance({ displayName: "web-1", freeformTags: MANAGED });
    await provider().stopInstance(id);
    await provider().createSnapshot(id, "signed");
    expect(fake.verifiedSignatures).toBe(fake.requests.length);
    const action = fake.requests.find((request) => request.method === "POST" && request.path.startsWith("/instances/"));
    const withBody = fake.requests.find((request) => request.method === "POST" && request.path === "/bootVolumeBackups");
    for (const post of [action, withBody]) {
      expect(post?.signedHeaders).toEqual(["x-date", "(request-target)", "host", "content-type", "content-length", "x-content-sha256"]);
    }
    const read = fake.requests.find((request) => request.method === "GET");
    expect(read?.signedHeaders).toEqual(["x-date", "(request-target)", "host"]);
  });

  it("refuses a request signed with another key: NotAuthenticated, in plain words", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const id = fake.addInstance({ displayName: "web-1" });
    const intruder = provider({ authenticationDetailsProvider: new common.SimpleAuthenticationDetailsProvider(TENANCY, USER, FINGERPRINT, other, null) });
    await expect(intruder.describeInstance(id)).rejects.toMatchObject({ code: "NotAuthenticated", message: expect.stringMatching(/rejected the bot's request signature/) });
  });

  it("finds credentials through the standard chain: the OCI config file named by OCI_CONFIG_FILE", async () => {
    const directory = mkdtempSync(join(tmpdir(), "oci-config-"));
    writeFileSync(join(directory, "key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }).toString(), { mode: 0o600 });
    writeFileSync(
      join(directory, "config"),
      `[DEFAULT]\nuser=${USER}\nfingerprint=${FINGERPRINT}\ntenancy=${TENANCY}\nregion=us-ashburn-1\nkey_file=${join(directory, "key.pem")}\n`,
    );
    vi.stubEnv("OCI_CONFIG_FILE", join(directory, "config"));
    try {
      const id = fake.addInstance({ displayName: "web-1" });
      const fromChain = provider({ authenticationDetailsProvider: undefined });
      expect((await fromChain.describeInstance(id)).name).toBe("web-1");
      expect(fake.verifiedSignatures).toBe(1);
    } finally {
      vi.unstubAllEnvs();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("describes an instance, its region taken from the OCID", async () => {
    const id = fake.addInstance({ displayName: "web-1", lifecycleState: "STOPPED", region: "us-phoenix-1" });
    expect(id).toMatch(/^ocid1\.instance\.oc1\.phx\./);
    const instance = await provider().describeInstance(id);
    expect(instance).toMatchObject({ resourceId: id, name: "web-1", region: "us-phoenix-1", state: "stopped", providerState: "STOPPED", details: { instanceType: "VM.Standard.E4.Flex" } });
    expect(fake.requests.at(-1)).toMatchObject({ region: "us-phoenix-1", path: `/instances/${id}` });
  });

  it("discovers tagged instances in every compartment and region, following opc-next-page", async () => {
    fake.addInstance({ displayName: "a", freeformTags: MANAGED });
    fake.addInstance({ displayName: "b", freeformTags: MANAGED, lifecycleState: "STOPPED" });
    fake.addInstance({ displayName: "c", freeformTags: MANAGED });
    fake.addInstance({ displayName: "untagged" });
    fake.addInstance({ displayName: "gone", freeformTags: MANAGED, lifecycleState: "TERMINATED" });
    fake.addInstance({ displayName: "d", freeformTags: MANAGED, compartmentId: DATA, region: "us-phoenix-1" });

    const instances = await provider().listInstances();

    expect(instances.map((instance) => [instance.name, instance.state, instance.region]).sort()).toEqual([
      ["a", "running", "us-ashburn-1"],
      ["b", "stopped", "us-ashburn-1"],
      ["c", "running", "us-ashburn-1"],
      ["d", "running", "us-phoenix-1"],
    ]);
    // 5 instances in apps/ashburn at 2 per page: three pages there; one (empty or not) per other pair.
    const ashburnApps = fake.requests.filter((request) => request.region === "us-ashburn-1" && request.query.get("compartmentId") === APPS);
    expect(ashburnApps.map((request) => request.query.get("page"))).toEqual([null, "2", "4"]);
    expect(fake.count("GET", /^\/instances$/)).toBe(6);
  });

  it("describes several machines with one ListInstances per compartment of their region, a GET only for one not listed", async () => {
    const running = fake.addInstance({ displayName: "a" });
    const stopped = fake.addInstance({ displayName: "b", lifecycleState: "STOPPED" });
    const untagged = fake.addInstance({ displayName: "c" }); // the sync follows what is in the inventory, tagged or not
    const missing = "ocid1.instance.oc1.iad.doesnotexist";
    fake.requests.length = 0;

    const answers = await provider().describeInstances([running, stopped, untagged, missing]);

    expect(answers.slice(0, 3).map((answer) => (answer as { name: string; state: string }) && [(answer as { name: string }).name, (answer as { state: string }).state])).toEqual([
      ["a", "running"],
      ["b", "stopped"],
      ["c", "running"],
    ]);
    expect(answers[3]).toBeInstanceOf(InstanceNotFoundError);
    // Ashburn only (where these machines are): one list per configured compartment, then the one GET.
    expect(new Set(fake.requests.map((request) => request.region))).toEqual(new Set(["us-ashburn-1"]));
    const lists = fake.requests.filter((request) => request.path === "/instances").map((request) => [request.query.get("compartmentId"), request.query.get("page")]);
    expect(lists).toEqual(expect.arrayContaining([[APPS, null], [APPS, "2"], [DATA, null]])); // the fake answers 2 a page
    expect(lists).toHaveLength(3);
    expect(fake.requests.filter((request) => /^\/instances\/[^/]+$/.test(request.path)).map((request) => request.path)).toEqual([`/instances/${missing}`]);
  });

  it("starts with InstanceAction START and waits until RUNNING", async () => {
    const id = fake.addInstance({ displayName: "web-1", lifecycleState: "STOPPED" });
    fake.transitionReads = 3;
    await provider().startInstance(id);
    expect(fake.instance(id).lifecycleState).toBe("RUNNING");
    expect(fake.requests.filter((request) => request.method === "POST").map((request) => request.query.get("action"))).toEqual(["START"]);
    expect(fake.count("GET", /^\/instances\/ocid1/)).toBeGreaterThanOrEqual(4);
  });

  it("stops with SOFTSTOP by default and STOP when configured", async () => {
    const soft = fake.addInstance({ displayName: "soft" });
    const hard = fake.addInstance({ displayName: "hard" });
    await provider().stopInstance(soft);
    await provider({ stopMode: "STOP" }).stopInstance(hard);
    const actions = fake.requests.filter((request) => request.method === "POST").map((request) => [request.path.split("/").pop(), request.query.get("action")]);
    expect(actions).toEqual([
      [soft, "SOFTSTOP"],
      [hard, "STOP"],
    ]);
    expect(fake.instance(soft).lifecycleState).toBe("STOPPED");
    expect(fake.instance(hard).lifecycleState).toBe("STOPPED");
  });

  it("reboots with SOFTRESET, and says so plainly when the instance is stopped", async () => {
    const running = fake.addInstance({ displayName: "web-1" });
    const stopped = fake.addInstance({ displayName: "web-2", lifecycleState: "STOPPED" });
    await provider().rebootInstance(running);
    expect(fake.requests.find((request) => request.method === "POST")?.query.get("action")).toBe("SOFTRESET");
    const error = await provider().rebootInstance(stopped).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "IncorrectState", message: expect.stringMatching(/does not allow the reboot .* in its current state/) });
  });

  it("powers a batch per instance, bounded, answering per instance", async () => {
    const ids = ["a", "b", "c", "d"].map((name) => fake.addInstance({ displayName: name, lifecycleState: "STOPPED" }));
    fake.failNext({ method: "POST", path: new RegExp(`/instances/${ids[1]}$`) }, 500, "InternalError", "Out of host capacity.");
    fake.failNext({ method: "POST", path: new RegExp(`/instances/${ids[2]}$`) }, 400, "LimitExceeded", "The following service limits were exceeded: standard-e4-core-count.");

    const results = await provider({ maxConcurrency: 2 }).powerInstances("start", ids);

    expect(results.map((result) => result.ok)).toEqual([true, false, false, true]);
    const [, capacity, limit] = results;
    expect(capacity?.ok === false && capacity.error).toMatchObject({ code: "InternalError", message: expect.stringMatching(/no host capacity/) });
    expect(limit?.ok === false && limit.error).toMatchObject({ code: "LimitExceeded", message: expect.stringMatching(/service limit or compartment quota/) });
    expect(limit?.ok === false && limit.error.message).toMatch(/opc-request-id [0-9A-F]{32}/);
    expect(fake.count("POST", /^\/instances\//)).toBe(4);
  });

  it("retries a 429 TooManyRequests through RetryingProvider with backoff", async () => {
    const id = fake.addInstance({ displayName: "web-1", lifecycleState: "STOPPED" });
    fake.failNext({ method: "POST", path: /^\/instances\// }, 429, "TooManyRequests", "Too many requests for the tenancy.");
    const retries: CloudProviderError[] = [];
    const retrying = new RetryingProvider(provider(), { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2, onRetry: (error) => retries.push(error) });
    await retrying.startInstance(id);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toBeInstanceOf(ThrottledError);
    expect(fake.count("POST", /^\/instances\//)).toBe(2);
    expect(fake.instance(id).lifecycleState).toBe("RUNNING");
  });

  it("fails a START that OCI accepted but that left the instance STOPPED", async () => {
    const id = fake.addInstance({ displayName: "web-1", lifecycleState: "STOPPED" });
    fake.leaveStopped(id);
    const error = await provider({ verifyTimeoutMs: 20_000, pollIntervalMs: 5_000 }).startInstance(id).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "TargetStateNotReached", message: expect.stringMatching(/accepted the start of web-1 but it is still STOPPED/) });
  });

  it("reports an unknown or hidden instance as InstanceNotFoundError", async () => {
    const missing = "ocid1.instance.oc1.iad.doesnotexist";
    await expect(provider().describeInstance(missing)).rejects.toBeInstanceOf(InstanceNotFoundError);
    expect(await provider().describeInstances([missing])).toEqual([expect.any(InstanceNotFoundError)]);
    await expect(provider().describeInstance("ocid1.instance.oc1.fra.x")).rejects.toMatchObject({ code: "RegionNotConfigured" });
  });

  it("creates, lists, describes and deletes boot volume backups", async () => {
    const id = fake.addInstance({ displayName: "web-1" });
    const oci = provider();
    const bootVolumeId = fake.attachedBootVolume(id);

    const snapshot = await oci.createSnapshot(id, "before upgrade");

    expect(snapshot).toMatchObject({ resourceId: id, name: "before upgrade", state: "creating" });
    expect(fake.requests.find((request) => request.method === "POST")?.body).toMatchObject({ bootVolumeId, displayName: "before upgrade" });
    expect(await oci.describeSnapshot(snapshot.snapshotId)).toMatchObject({ state: "creating" });
    expect(await oci.describeSnapshot(snapshot.snapshotId)).toMatchObject({ state: "available", sizeGb: 47 });
    expect((await oci.listSnapshots(id)).map((listed) => listed.snapshotId)).toEqual([snapshot.snapshotId]);

    await oci.deleteSnapshot(snapshot.snapshotId);
    expect(await oci.listSnapshots(id)).toEqual([]);
    await expect(oci.describeSnapshot(snapshot.snapshotId)).rejects.toMatchObject({ code: "NotAuthorizedOrNotFound" });
  });

  it("restores a running instance by boot volume replacement and returns it to RUNNING", async () => {
    const id = fake.addInstance({ displayName: "web-1" });
    const oci = provider();
    const original = fake.attachedBootVolume(id);
    const snapshot = await oci.createSnapshot(id, "good");
    await oci.describeSnapshot(snapshot.snapshotId);
    await oci.describeSnapshot(snapshot.snapshotId);
    fake.requests.length = 0;

    await oci.restoreSnapshot(id, snapshot.snapshotId);

    const restored = fake.attachedBootVolume(id);
    expect(restored).not.toBe(original);
    expect(fake.bootVolumes.get(restored ?? "")?.sourceBackupId).toBe(snapshot.snapshotId);
    expect(fake.instance(id).lifecycleState).toBe("RUNNING");
    const writes = fake.requests.filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path.replace(/ocid1\.[^/]+/, "<id>")}${request.query.get("action") ? `?action=${request.query.get("action")}` : ""}`);
    expect(writes).toEqual(["POST /instances/<id>?action=SOFTSTOP", "POST /bootVolumes", "PUT /instances/<id>", "POST /instances/<id>?action=START"]);
    expect(fake.requests.find((request) => request.method === "PUT")?.body).toEqual({
      sourceDetails: { sourceType: "bootVolume", bootVolumeId: restored, isPreserveBootVolumeEnabled: true },
    });
  });

  it("restores a stopped instance and leaves it STOPPED", async () => {
    const id = fake.addInstance({ displayName: "web-1", lifecycleState: "STOPPED" });
    const oci = provider();
    const snapshot = await oci.createSnapshot(id, "good");
    await oci.describeSnapshot(snapshot.snapshotId);
    await oci.describeSnapshot(snapshot.snapshotId);
    await oci.restoreSnapshot(id, snapshot.snapshotId);
    expect(fake.instance(id).lifecycleState).toBe("STOPPED");
    expect(fake.count("POST", /^\/instances\//)).toBe(0);
  });

  it("starts the instance again when the replacement is refused, and says why", async () => {
    const id = fake.addInstance({ displayName: "web-1" });
    const oci = provider();
    const original = fake.attachedBootVolume(id);
    const snapshot = await oci.createSnapshot(id, "good");
    await oci.describeSnapshot(snapshot.snapshotId);
    await oci.describeSnapshot(snapshot.snapshotId);
    fake.failNext({ method: "PUT", path: /^\/instances\// }, 404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.");

    const error = await oci.restoreSnapshot(id, snapshot.snapshotId).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: "NotAuthorizedOrNotFound", message: expect.stringMatching(/policy does not allow it to restore it/) });
    expect(fake.instance(id).lifecycleState).toBe("RUNNING");
    expect(fake.attachedBootVolume(id)).toBe(original);
  });

  it("refuses a restore from a backup that is not available yet, before touching the instance", async () => {
    const id = fake.addInstance({ displayName: "web-1" });
    const oci = provider();
    const snapshot = await oci.createSnapshot(id, "fresh"); // REQUEST_RECEIVED until read twice
    await expect(oci.restoreSnapshot(id, snapshot.snapshotId)).rejects.toMatchObject({ code: "SnapshotNotReady" });
    expect(fake.count("POST", /^\/instances\//)).toBe(0);
  });

  it("sends every call through the pace hook, keyed by region and read/write", async () => {
    const id = fake.addInstance({ displayName: "web-1", lifecycleState: "STOPPED" });
    const keys: string[] = [];
    const pace = <T>(key: string, call: () => Promise<T>) => {
      keys.push(key);
      return call();
    };
    await provider({ pace }).startInstance(id);
    expect(keys[0]).toBe("oci:us-ashburn-1:write");
    expect(keys.slice(1).every((key) => key === "oci:us-ashburn-1:read")).toBe(true);
  });
});
