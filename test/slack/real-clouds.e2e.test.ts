// The bot with CLOUDS_CONFIG: /vm start reaches EC2 (the local Query API fake) through the real AWS
// adapter, credentials from the standard environment variables; a start that EC2 accepted but that
// fell back to stopped (KMS) is reported in Slack and the audit in plain words with the cloud's code.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startHarness, USERS, type BotHarness } from "../support/bot-harness.js";
import { AwsEc2Fake } from "../support/clouds/aws-ec2-fake.js";
import { describeEachDialect } from "../support/dialects.js";
import { blocksText, latestBotMessage, pollUntil } from "../support/slack-helpers.js";

describeEachDialect("real clouds end to end", (dialect) => {
  let fake: AwsEc2Fake;
  let harness: BotHarness;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    fake = new AwsEc2Fake();
    await fake.start();
    const dir = mkdtempSync(join(tmpdir(), "clouds-e2e-"));
    const path = join(dir, "clouds.yml");
    writeFileSync(path, `aws:\n  endpoint: ${fake.endpoint}\n  accounts:\n    - id: "${fake.accountId}"\n      regions: [us-east-1]\n`);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDE2ETEST", AWS_SECRET_ACCESS_KEY: "e2e-secret", AWS_EC2_METADATA_DISABLED: "true" });
    harness = await startHarness(dialect, { CLOUDS_CONFIG: path });
  });
  afterAll(async () => {
    await harness?.stop();
    await fake.stop();
    process.env = savedEnv;
  });

  it("starts AWS VMs from Slack and reports the KMS failure in plain words", async () => {
    const { bot, workspace, standIn } = harness;
    expect(bot.providers.kinds()).toEqual(["aws"]);
    const machines = [
      fake.addInstance({ region: "us-east-1", name: "web-1", tags: { "managed-by": "vm-lifecycle" } }),
      fake.addInstance({ region: "us-east-1", name: "enc-1", tags: { "managed-by": "vm-lifecycle" }, kmsBroken: true }),
    ];
    for (const machine of machines) {
      await bot.db.prisma.vm.create({ data: { name: machine.tags.Name!, provider: "aws", region: "us-east-1", status: "stopped", providerResourceId: fake.arnOf(machine) } });
    }

    await workspace.command(USERS.operator.id, "/vm", "start web-1 enc-1");
    await harness.idle();
    const statuses = await pollUntil(async () => {
      const vms = await bot.db.prisma.vm.findMany({ orderBy: { name: "asc" } });
      return vms.every((vm) => vm.status === "running" || vm.status === "error") ? vms.map((vm) => [vm.name, vm.status, vm.providerState]) : undefined;
    }, 10_000);
    expect(statuses).toEqual([
      ["enc-1", "error", "stopped"],
      ["web-1", "running", "running"],
    ]);
    expect(fake.callsOf("StartInstances").flatMap((call) => call.list("InstanceId")).sort()).toEqual(machines.map((machine) => machine.id).sort());
    expect(fake.calls.every((call) => call.accessKeyId === "AKIDE2ETEST")).toBe(true);

    const failure = await bot.db.prisma.auditLog.findFirstOrThrow({ where: { action: "vm_start", outcome: "failed", vmName: "enc-1" } });
    expect(JSON.stringify(failure.details)).toMatch(/KMS key that encrypts its EBS volume cannot be used.*Client\.InvalidKMSKey\.InvalidState/);
    await harness.idle();
    const message = await standIn.waitFor(() => {
      const latest = latestBotMessage(standIn);
      return latest && /KMS key/.test(blocksText(latest.blocks)) ? latest : undefined;
    }, 10_000);
    expect(blocksText(message.blocks)).toContain("enc-1");
    expect(standIn.violations).toEqual([]);
  });
});
