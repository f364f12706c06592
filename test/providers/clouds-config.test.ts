import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { CloudsConfigError, loadCloudsConfig, parseCloudsConfig } from "../../src/providers/clouds-config.js";

const FULL = `
discovery:
  tags:
    managed-by: vm-lifecycle
aws:
  accounts:
    - id: "123456789012"
      regions: [us-east-1, eu-west-1]
    - id: "210987654321"
      profile: staging
      regions: [eu-central-1]
azure:
  subscriptions:
    - id: 2f1c4a8e-3b7d-4e5f-9a0b-1c2d3e4f5a6b
      resourceGroups: [rg-web]
      locations: [westeurope]
gcp:
  projects:
    - id: shop-prod
      zones: [europe-west1-b]
oci:
  compartments:
    - id: ocid1.compartment.oc1..aaaaexample
      regions: [eu-frankfurt-1]
`;

async function problemsOf(text: string): Promise<string[]> {
  try {
    await parseCloudsConfig(text);
  } catch (error) {
    if (error instanceof CloudsConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected the file to be refused");
}

it("reads every section, with defaults", async () => {
  const clouds = await parseCloudsConfig(FULL);
  expect(clouds.aws?.accounts).toEqual([
    { id: "123456789012", regions: ["us-east-1", "eu-west-1"] },
    { id: "210987654321", profile: "staging", regions: ["eu-central-1"] },
  ]);
  expect(clouds.azure).toMatchObject({ stopMode: "deallocate", subscriptions: [{ resourceGroups: ["rg-web"], locations: ["westeurope"] }] });
  expect(clouds.gcp?.projects).toEqual([{ id: "shop-prod", zones: ["europe-west1-b"] }]);
  expect(clouds.oci).toMatchObject({ auth: "configFile", compartments: [{ regions: ["eu-frankfurt-1"] }] });
  expect((await parseCloudsConfig("gcp:\n  projects:\n    - id: shop-prod\n      zones: [europe-west1-b]\n")).discovery.tags).toEqual({ "managed-by": "vm-lifecycle" });
});

it("points at the line and column of a bad value", async () => {
  expect(await problemsOf(`aws:\n  accounts:\n    - id: "12345"\n      regions: [us-east-1]\n`)).toEqual(["clouds.yml:3:11 aws.accounts[0].id must be a 12-digit AWS account id"]);
  expect(await problemsOf(`azure:\n  subscriptions:\n    - id: 2f1c4a8e-3b7d-4e5f-9a0b-1c2d3e4f5a6b\n      locations: [westeurope]\n  stopMode: shutdown\n`)).toEqual([
    expect.stringMatching(/^clouds\.yml:5:13 azure\.stopMode /),
  ]);
});

it("points at the parent of a missing key and refuses unknown keys", async () => {
  expect(await problemsOf(`gcp:\n  projects:\n    - id: shop-prod\n`)).toEqual([expect.stringMatching(/^clouds\.yml:3:7 gcp\.projects\[0\]\.zones /)]);
  expect(await problemsOf(`gcp:\n  projects:\n    - id: shop-prod\n      zone: [europe-west1-b]\n`)).toContainEqual(expect.stringMatching(/^clouds\.yml:3:7 .*zone/));
});

it("refuses credentials in the file, naming where they are", async () => {
  const problems = await problemsOf(`aws:\n  accounts:\n    - id: "123456789012"\n      regions: [us-east-1]\n      secretAccessKey: abc\n`);
  expect(problems).toEqual(["clouds.yml:5:24 aws.accounts[0].secretAccessKey: credentials do not belong in clouds.yml; the SDK's standard credential chain provides them"]);
  expect(problems.join()).not.toContain("abc");
});

it("refuses a file that configures no cloud, and YAML that does not parse", async () => {
  expect(await problemsOf("discovery:\n  tags: {team: web}\n")).toEqual([expect.stringMatching(/configures no cloud/)]);
  expect((await problemsOf("aws: [unclosed\n"))[0]).toMatch(/^clouds\.yml:\d+:\d+ /);
});

it("names the file it could not read", async () => {
  const dir = mkdtempSync(join(tmpdir(), "clouds-"));
  await expect(loadCloudsConfig(join(dir, "missing.yml"))).rejects.toThrow(/missing\.yml:\n {2}- cannot be read \(ENOENT\)/);
  writeFileSync(join(dir, "clouds.yml"), FULL);
  expect((await loadCloudsConfig(join(dir, "clouds.yml"))).aws?.accounts).toHaveLength(2);
});
