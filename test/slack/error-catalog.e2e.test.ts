// The error catalog through Slack: a start refused inside the (simulated AWS) cloud reaches the user in the
// catalog's plain words with the suggested action; the audit keeps EC2's own code and message.
import { expect, it } from "vitest";
import { USERS } from "../support/bot-harness.js";
import { describeWithBot } from "../support/describe-with-bot.js";
import { blocksText, latestBotMessage } from "../support/slack-helpers.js";

describeWithBot("error catalog end to end", (t) => {
  it("a capacity failure injected in the cloud shows plain words to the user and the raw code in the audit", async () => {
    const { workspace, standIn, bot } = t.harness;
    const aws = bot.providers.simulator("aws");
    const instance = await aws.registerInstance({ name: "gpu-1", region: "us-east-1", state: "stopped" });
    await bot.db.prisma.vm.create({ data: { name: "gpu-1", provider: "aws", region: "us-east-1", providerResourceId: instance.resourceId, status: "stopped" } });
    const raw = "Server.InsufficientInstanceCapacity: We currently do not have sufficient capacity in the Availability Zone you requested (us-east-1a).";
    await aws.injectFault(instance.resourceId, "start", raw);

    await workspace.command(USERS.operator.id, "/vm", "start gpu-1");
    const outcome = await standIn.waitFor(() => {
      const message = latestBotMessage(standIn);
      return message && blocksText(message.blocks).includes("no spare capacity") ? message : undefined;
    }, 15_000);
    const shown = blocksText(outcome.blocks);
    expect(shown).toContain("AWS has no spare capacity for this instance type in this Availability Zone right now.");
    expect(shown).toContain("Try again later, or move the machine to another size or zone.");
    expect(shown).not.toContain("We currently do not have sufficient capacity");
    await t.harness.idle();

    const failure = await bot.db.prisma.auditLog.findFirstOrThrow({ where: { action: "vm_start", outcome: "failed" } });
    expect(failure.details).toMatchObject({ providerError: { provider: "aws", code: "Server.InsufficientInstanceCapacity", category: "capacity", message: raw } });
    expect((await bot.db.prisma.vm.findUniqueOrThrow({ where: { name: "gpu-1" } })).statusMessage).toContain("(aws Server.InsufficientInstanceCapacity)");
  });
});
