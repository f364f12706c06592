// Two people act on one VM from Slack while the first action is still in flight (a slow cloud): the
// second is told what is in flight and who asked, and nothing reaches the cloud for it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startHarness, USERS, type BotHarness } from "../support/bot-harness.js";
import { describeEachDialect } from "../support/dialects.js";
import { addVms, blocksText, latestBotMessage } from "../support/slack-helpers.js";

describeEachDialect("a busy VM end to end", (dialect) => {
  let harness: BotHarness;
  beforeAll(async () => {
    harness = await startHarness(dialect, { SIM_LATENCY_MS: "600000" }); // every transition takes ten minutes
  });
  afterAll(async () => harness?.stop());

  it("refuses a second action with who asked for what, as a mention and a Slack date", async () => {
    const { workspace, standIn, bot } = harness;
    const [vm] = await addVms(bot, 1, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "start vm-001");
    await standIn.waitFor(() => blocksText(latestBotMessage(standIn)?.blocks).includes("Starting 1 VM"), 10_000);

    await workspace.command(USERS.admin.id, "/vm", "stop vm-001");
    const refusal = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.admin.id }).at(-1));
    const claim = await bot.db.prisma.vm.findUniqueOrThrow({ where: { id: vm!.id } });
    const epoch = Math.floor(claim.claimedAt!.getTime() / 1000);
    expect(refusal.text).toBe(`:hourglass_flowing_sand: vm-001 is busy: start requested by <@${USERS.operator.id}> at <!date^${epoch}^{time}|${claim.claimedAt!.toISOString().slice(0, 16).replace("T", " ")} UTC>`);
    expect(claim).toMatchObject({ status: "starting", claimAction: "vm_start" });
    expect(await bot.db.prisma.operationExecution.count()).toBe(1);
    expect(await bot.db.prisma.auditLog.findFirst({ where: { action: "vm_stop" }, include: { user: true } })).toMatchObject({ outcome: "failed", user: { slackUserId: USERS.admin.id }, details: { result: "busy" } });

    // The cloud finishes the start; the progress message completes and the VM is free again.
    await bot.db.prisma.simulatedInstance.update({ where: { resourceId: vm!.providerResourceId }, data: { transitionEndsAt: new Date() } });
    await standIn.waitFor(() => blocksText(latestBotMessage(standIn)?.blocks).includes("Started 1 VM"), 10_000);
    await harness.idle();
    expect(await bot.db.prisma.vm.findUniqueOrThrow({ where: { id: vm!.id } })).toMatchObject({ status: "running", claimAction: null });
    expect(standIn.violations).toEqual([]);
  });
});
