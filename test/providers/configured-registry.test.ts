// clouds.yml -> registry: configured kinds get their real adapter behind the retry layer, credentials
// come from the SDK's standard chain (here the standard environment variables), nothing else is served.
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseCloudsConfig } from "../../src/providers/clouds-config.js";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLOUD_ADAPTER_FACTORIES, createConfiguredRegistry, MissingAdapterError, ProviderNotConfiguredError } from "../../src/providers/registry.js";
import { RetryingProvider } from "../../src/providers/retrying-provider.js";
import { AwsEc2Fake } from "../support/clouds/aws-ec2-fake.js";
import { OciCoreFake } from "../support/clouds/oci-core-fake.js";

let fake: AwsEc2Fake;
const savedEnv = { ...process.env };

beforeAll(async () => {
  fake = new AwsEc2Fake();
  await fake.start();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDENVTEST", AWS_SECRET_ACCESS_KEY: "env-secret", AWS_EC2_METADATA_DISABLED: "true" });
});
afterAll(async () => {
  process.env = savedEnv;
  await fake.stop();
});

it("serves the configured clouds through retrying real adapters, found by the default credential chain", async () => {
  const clouds = await parseCloudsConfig(`
aws:
  endpoint: ${fake.endpoint}
  accounts:
    - id: "${fake.accountId}"
      regions: [eu-west-1]
gcp:
  endpoint: http://127.0.0.1:9
  projects:
    - id: shop-prod
      zones: [europe-west1-b]
`);
  const registry = await createConfiguredRegistry({ clouds, retry: { minTimeoutMs: 1, maxTimeoutMs: 2 } });
  expect(registry.kinds()).toEqual(["aws", "gcp"]);
  expect(registry.get("aws")).toBeInstanceOf(RetryingProvider);
  expect(registry.get("gcp").kind).toBe("gcp");
  expect(() => registry.get("azure")).toThrow(ProviderNotConfiguredError);
  expect(() => registry.get("simulator")).toThrow(ProviderNotConfiguredError);

  const vm = fake.addInstance({ region: "eu-west-1", name: "web-1", state: "running", tags: { "managed-by": "vm-lifecycle" } });
  fake.throttleNext("DescribeInstances");
  expect(await registry.get("aws").listInstances()).toEqual([expect.objectContaining({ resourceId: fake.arnOf(vm), name: "web-1", state: "running" })]);
  const calls = fake.callsOf("DescribeInstances");
  expect(calls).toHaveLength(2);
  expect(calls[1]).toMatchObject({ region: "eu-west-1", accessKeyId: "AKIDENVTEST" });
});

it("stops with a clear error when a configured cloud has no adapter in this build", async () => {
  const clouds = await parseCloudsConfig(`
azure:
  subscriptions:
    - id: 2f1c4a8e-3b7d-4e5f-9a0b-1c2d3e4f5a6b
      locations: [westeurope]
`);
  expect((await createConfiguredRegistry({ clouds })).get("azure").kind).toBe("azure");
  await expect(createConfiguredRegistry({ clouds, factories: { aws: CLOUD_ADAPTER_FACTORIES.aws } })).rejects.toThrow(MissingAdapterError);
  await expect(createConfiguredRegistry({ clouds, factories: {} })).rejects.toThrow("azure is configured but this build has no azure adapter");
});

it("serves OCI from clouds.yml: the profile of the standard config file signs, each region at the endpoint's own path", async () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const [tenancy, user, fingerprint] = ["ocid1.tenancy.oc1..aaaatenancy", "ocid1.user.oc1..aaaauser", "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34"];
  const oci = await OciCoreFake.start(publicKey, `${tenancy}/${user}/${fingerprint}`);
  const directory = mkdtempSync(join(tmpdir(), "oci-config-"));
  try {
    writeFileSync(join(directory, "key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }).toString(), { mode: 0o600 });
    // DEFAULT holds no usable key: only the profile clouds.yml names can sign.
    writeFileSync(
      join(directory, "config"),
      `[DEFAULT]\nuser=ocid1.user.oc1..nobody\nfingerprint=00\ntenancy=${tenancy}\nregion=us-ashburn-1\nkey_file=${join(directory, "missing.pem")}\n\n` +
        `[BOT]\nuser=${user}\nfingerprint=${fingerprint}\ntenancy=${tenancy}\nregion=us-ashburn-1\nkey_file=${join(directory, "key.pem")}\n`,
    );
    process.env.OCI_CONFIG_FILE = join(directory, "config");
    const clouds = await parseCloudsConfig(`
discovery:
  tags: { managed-by: vm-lifecycle }
oci:
  endpoint: ${oci.endpointFor("").replace(/\/$/, "")}
  profile: BOT
  compartments:
    - id: ocid1.compartment.oc1..aaaaapps
      regions: [us-ashburn-1, us-phoenix-1]
`);
    const registry = await createConfiguredRegistry({ clouds, retry: { minTimeoutMs: 1, maxTimeoutMs: 2 } });
    oci.addInstance({ displayName: "east", freeformTags: { "managed-by": "vm-lifecycle" } });
    oci.addInstance({ displayName: "west", freeformTags: { "managed-by": "vm-lifecycle" }, region: "us-phoenix-1" });
    oci.addInstance({ displayName: "untagged" });

    const instances = await registry.get("oci").listInstances();
    expect(instances.map((instance) => [instance.name, instance.region]).sort()).toEqual([["east", "us-ashburn-1"], ["west", "us-phoenix-1"]]);
    expect(oci.verifiedSignatures).toBeGreaterThanOrEqual(2);
  } finally {
    await oci.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

it("refuses several discovery tags for the clouds that discover by one", async () => {
  const clouds = await parseCloudsConfig(`
discovery:
  tags: { managed-by: vm-lifecycle, team: web }
oci:
  compartments:
    - id: ocid1.compartment.oc1..aaaaapps
      regions: [us-ashburn-1]
`);
  await expect(createConfiguredRegistry({ clouds })).rejects.toThrow("the oci adapter discovers by one tag; clouds.yml names 2");
});
