// `inventory discover`: tagged instances of the local EC2 fake, found through a real clouds.yml and the
// AWS adapter (credentials from the standard environment variables), merged into the stored inventory
// with the same diff as the inventory file; environments, groups and unknown VMs are left alone.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, expect, inject, it } from "vitest";
import { parseCloudsConfig } from "../../../src/providers/clouds-config.js";
import { CloudProviderError, type ProviderRegistry } from "../../../src/providers/cloud-provider.js";
import { createConfiguredRegistry } from "../../../src/providers/registry.js";
import { applyInventory, formatChanges } from "../../../src/services/environments/inventory-apply.js";
import { discoverInventory, inventoryNameOf, mergeDiscovered } from "../../../src/services/environments/inventory-discover.js";
import { parseInventoryFile } from "../../../src/services/environments/inventory-file.js";
import { loadInventory } from "../../../src/services/environments/inventory-store.js";
import { AwsEc2Fake } from "../../support/clouds/aws-ec2-fake.js";
import { createTestDatabaseUrl, describeEachDatabase } from "../../support/databases.js";

const run = promisify(execFile);
let fake: AwsEc2Fake;
let registry: ProviderRegistry;
let cloudsFile: string;
const savedEnv = { ...process.env };
const CREDENTIALS = { AWS_ACCESS_KEY_ID: "AKIDDISCOVER", AWS_SECRET_ACCESS_KEY: "discover-secret", AWS_EC2_METADATA_DISABLED: "true" };
const TAGGED = { "managed-by": "vm-lifecycle" };

beforeAll(async () => {
  fake = new AwsEc2Fake();
  await fake.start();
  Object.assign(process.env, CREDENTIALS);
  const yaml = `
discovery:
  tags: { managed-by: vm-lifecycle }
aws:
  endpoint: ${fake.endpoint}
  accounts:
    - id: "${fake.accountId}"
      regions: [eu-west-1, us-east-1]
`;
  cloudsFile = join(inject("testWorkDir"), `clouds-discover-${process.pid}.yml`);
  writeFileSync(cloudsFile, yaml);
  registry = await createConfiguredRegistry({ clouds: await parseCloudsConfig(yaml, cloudsFile), retry: { minTimeoutMs: 1, maxTimeoutMs: 2 } });
});
afterAll(async () => {
  process.env = savedEnv;
  await fake.stop();
});

const SHOP = `
environments:
  - name: shop
    groups:
      - name: app
        vms:
          - { name: api-1, provider: aws, region: eu-west-1, resourceId: RESOURCE, tags: { team: web } }
vms:
  - { name: bastion, provider: aws, region: eu-west-1, resourceId: arn:aws:ec2:eu-west-1:000000000000:instance/i-0bastion }
`;

it("turns cloud names into inventory names", () => {
  expect(inventoryNameOf("web server #1", "x")).toBe("web-server-1");
  expect(inventoryNameOf("--db", "x")).toBe("db");
  expect(inventoryNameOf("", "arn:aws:ec2:eu-west-1:1:instance/i-0abc")).toBe("i-0abc");
  expect(inventoryNameOf("a".repeat(80), "x")).toHaveLength(63);
  const instance = (resourceId: string, name: string) => ({ provider: "aws" as const, instance: { resourceId, name, region: "r", state: "running" as const, providerState: "running", tags: {}, details: {} } });
  const merged = mergeDiscovered({ environments: [], vms: [{ name: "web", provider: "aws", region: "r", resourceId: "other", tags: {} }] }, [instance("b", "web"), instance("a", "web")]);
  expect(merged.vms.map((vm) => [vm.name, vm.resourceId])).toEqual([["web", "other"], ["web-2", "a"], ["web-3", "b"]]);
});

describeEachDatabase("inventory discover", (t) => {
  beforeEach(() => {
    for (const instance of [...fake.instances.values()]) fake.instances.delete(instance.id);
  });

  it("dry run prints the diff and writes nothing; the real run adds the tagged VMs only; a second run changes nothing", async () => {
    const web = fake.addInstance({ region: "eu-west-1", name: "web-1", state: "running", tags: { ...TAGGED, team: "web" } });
    const worker = fake.addInstance({ region: "us-east-1", name: "worker 1", state: "stopped", tags: TAGGED });
    fake.addInstance({ region: "eu-west-1", name: "untagged", state: "running" });
    fake.addInstance({ region: "eu-west-1", name: "gone", state: "terminated", tags: TAGGED });

    const dry = await discoverInventory(t.db.prisma, registry, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(formatChanges(dry.changes)).toBe("+ vm web-1\n+ vm worker-1\n2 added, 0 changed, 0 removed.");
    expect(await t.db.prisma.vm.count()).toBe(0);

    const real = await discoverInventory(t.db.prisma, registry);
    expect(real.changes).toEqual(dry.changes);
    expect((await loadInventory(t.db.prisma)).vms).toEqual([
      { name: "web-1", provider: "aws", region: "eu-west-1", resourceId: fake.arnOf(web), tags: { ...TAGGED, Name: "web-1", team: "web" } },
      { name: "worker-1", provider: "aws", region: "us-east-1", resourceId: fake.arnOf(worker), tags: { ...TAGGED, Name: "worker 1" } },
    ]);
    const updatedAt = (await t.db.prisma.vm.findMany({ orderBy: { name: "asc" } })).map((vm) => vm.updatedAt.getTime());

    const again = await discoverInventory(t.db.prisma, registry);
    expect(formatChanges(again.changes)).toBe("No changes: the stored inventory already matches.");
    expect((await t.db.prisma.vm.findMany({ orderBy: { name: "asc" } })).map((vm) => vm.updatedAt.getTime())).toEqual(updatedAt);
  });

  it("updates known VMs in place (environment, group and name kept), shows cloud tag changes, and removes nothing", async () => {
    const api = fake.addInstance({ region: "eu-west-1", name: "shop-api", state: "running", tags: { ...TAGGED, team: "web" } });
    await applyInventory(t.db.prisma, parseInventoryFile(SHOP.replace("RESOURCE", fake.arnOf(api))));
    const apiId = (await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "api-1" } })).id;

    const first = await discoverInventory(t.db.prisma, registry);
    expect(formatChanges(first.changes)).toBe(`~ vm api-1\n    tags: {"team":"web"} -> {"managed-by":"vm-lifecycle","Name":"shop-api","team":"web"}\n0 added, 1 changed, 0 removed.`);

    api.tags.team = "payments";
    const newcomer = fake.addInstance({ region: "eu-west-1", name: "api-1", state: "running", tags: TAGGED });
    const dry = await discoverInventory(t.db.prisma, registry, { dryRun: true });
    expect(formatChanges(dry.changes)).toBe(
      `~ vm api-1\n    tags: {"managed-by":"vm-lifecycle","Name":"shop-api","team":"web"} -> {"managed-by":"vm-lifecycle","Name":"shop-api","team":"payments"}\n+ vm api-1-2\n1 added, 1 changed, 0 removed.`,
    );
    await discoverInventory(t.db.prisma, registry);

    const inventory = await loadInventory(t.db.prisma);
    expect(inventory.environments[0]!.groups[0]!.vms.map((vm) => [vm.name, vm.tags.team])).toEqual([["api-1", "payments"]]);
    expect(inventory.vms.map((vm) => vm.name)).toEqual(["api-1-2", "bastion"]);
    expect(inventory.vms[0]!.resourceId).toBe(fake.arnOf(newcomer));
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "api-1" } })).id).toBe(apiId);
  });

  it("concurrent discovers never import a VM twice (the unique provider + resource id decides)", async () => {
    for (let index = 0; index < 5; index += 1) fake.addInstance({ region: "eu-west-1", name: `node-${index}`, state: "running", tags: TAGGED });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => discoverInventory(t.db.prisma, registry)));
    expect(results.some((result) => result.status === "fulfilled")).toBe(true);
    const vms = await t.db.prisma.vm.findMany({ orderBy: { name: "asc" } });
    expect(vms.map((vm) => vm.name)).toEqual(["node-0", "node-1", "node-2", "node-3", "node-4"]);
    expect(formatChanges((await discoverInventory(t.db.prisma, registry)).changes)).toBe("No changes: the stored inventory already matches.");
  });

  it("writes nothing when a cloud cannot be listed, and says why in the cloud's words", async () => {
    fake.addInstance({ region: "eu-west-1", name: "web-1", state: "running", tags: TAGGED });
    fake.failNext("DescribeInstances", "UnauthorizedOperation", "You are not authorized to perform this operation.");
    const error = await discoverInventory(t.db.prisma, registry).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CloudProviderError);
    expect(error).toMatchObject({ provider: "aws", code: "UnauthorizedOperation" });
    expect(await t.db.prisma.vm.count()).toBe(0);
  });

  it("the CLI prints the same diff (dry run writes nothing) and says what to set when CLOUDS_CONFIG is missing", { timeout: 120_000 }, async () => {
    fake.addInstance({ region: "eu-west-1", name: "cli-vm", state: "running", tags: TAGGED });
    const { url, drop } = await createTestDatabaseUrl(t.db.dialect);
    const cli = (env: Record<string, string>, ...args: string[]) =>
      run(process.execPath, ["--import", "tsx", "src/cli/inventory.ts", "discover", ...args], { env: { ...process.env, ...CREDENTIALS, DATABASE_URL: url, ...env } }).catch(
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    try {
      expect((await cli({ CLOUDS_CONFIG: cloudsFile }, "--dry-run")).stdout).toBe("+ vm cli-vm\n1 added, 0 changed, 0 removed.\nDry run: nothing was written.\n");
      expect((await cli({ CLOUDS_CONFIG: cloudsFile })).stdout).toBe("+ vm cli-vm\n1 added, 0 changed, 0 removed.\n");
      expect((await cli({ CLOUDS_CONFIG: cloudsFile })).stdout).toBe("No changes: the stored inventory already matches.\n");
      const missing = await cli({ CLOUDS_CONFIG: "" });
      expect(missing).toMatchObject({ code: 2 });
      expect((missing as { stderr: string }).stderr).toContain("discover reads the clouds in CLOUDS_CONFIG; set it to your clouds.yml");
    } finally {
      await drop();
    }
  });
});
