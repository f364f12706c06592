// Reliability: what test/slack/security.e2e.test.ts and socket-mode.e2e.test.ts leave out about retried
// deliveries over HTTP: a retry racing its original (all at once, not one after another), and a retry
// whose original never reached the bot (it must act, once).
import { expect, it } from "vitest";
import { USERS } from "../../support/bot-harness.js";
import { describeWithBot } from "../../support/describe-with-bot.js";
import { postSigned } from "../../support/raw-delivery.js";
import { addVms, pollUntil } from "../../support/slack-helpers.js";

describeWithBot("Reliability: retried deliveries over HTTP", (t) => {
  async function startOutcomes() {
    return (await t.harness.bot.db.prisma.auditLog.findMany({ where: { action: "vm_start" }, orderBy: { id: "asc" } })).map((entry) => entry.outcome);
  }

  it("acts once when the original and its retries arrive at the same time", async () => {
    const { workspace, bot, botUrl } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "start vm-001", { delivery: { signature: "missing" } }); // only to get the exact body
    const body = workspace.deliveries.at(-1)!.requestBody;

    const replies = await Promise.all([postSigned(botUrl, body), ...[1, 2, 3, 1, 2, 3, 1].map((retryNum) => postSigned(botUrl, body, { retryNum }))]);
    expect(replies.map((reply) => reply.status)).toEqual(Array(8).fill(200));
    await pollUntil(async () => (await bot.db.prisma.vm.findUniqueOrThrow({ where: { name: "vm-001" } })).status === "running", 10_000);
    await t.harness.idle();
    expect(await bot.db.prisma.operationExecution.count()).toBe(1);
    expect(await bot.db.prisma.processedDelivery.count()).toBe(1);
    expect(await startOutcomes()).toEqual(["initiated", "succeeded"]);
  });

  it("acts on a retry whose original never arrived, and only on that one", async () => {
    const { workspace, bot, botUrl } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "start vm-001", { delivery: { signature: "missing" } }); // the "lost" original
    const body = workspace.deliveries.at(-1)!.requestBody;
    expect(await bot.db.prisma.operationExecution.count()).toBe(0);

    expect((await postSigned(botUrl, body, { retryNum: 1 })).status).toBe(200);
    await pollUntil(async () => (await bot.db.prisma.vm.findUniqueOrThrow({ where: { name: "vm-001" } })).status === "running", 10_000);
    expect((await postSigned(botUrl, body, { retryNum: 2 })).status).toBe(200);
    await t.harness.idle();
    expect(await bot.db.prisma.operationExecution.count()).toBe(1);
    expect(await startOutcomes()).toEqual(["initiated", "succeeded"]);
  });
});
