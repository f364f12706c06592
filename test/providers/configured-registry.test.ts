// clouds.yml -> registry: configured kinds get their real adapter behind the retry layer, credentials
// come from the SDK's standard chain (here the standard environment variables), nothing else is served.
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseCloudsConfig } from "../../src/providers/clouds-config.js";
import { createConfiguredRegistry, MissingAdapterError, ProviderNotConfiguredError } from "../../src/providers/registry.js";
import { RetryingProvider } from "../../src/providers/retrying-provider.js";
import { AwsEc2Fake } from "../support/clouds/aws-ec2-fake.js";

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
  const registry = createConfiguredRegistry({ clouds, retry: { minTimeoutMs: 1, maxTimeoutMs: 2 } });
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
  expect(() => createConfiguredRegistry({ clouds })).toThrow(MissingAdapterError);
  expect(() => createConfiguredRegistry({ clouds })).toThrow("azure is configured but this build has no azure adapter");
});
