// Reliability: Slack's Web API fails under the running bot (rate limits with Retry-After, an error answer
// such as invalid_blocks, a slow answer). The bot retries what Slack asks it to retry, tells the user what
// it cannot show, never crashes, and the VM action itself happens exactly once.
import { expect, it } from "vitest";
import { USERS } from "../../support/bot-harness.js";
import { describeWithBot } from "../../support/describe-with-bot.js";
import { addVms, blocksText, botMessages, latestEphemeral, pollUntil } from "../../support/slack-helpers.js";

describeWithBot("Reliability: Slack Web API faults", (t) => {
  async function expectStartedOnce(vmName = "vm-001") {
    const { bot } = t.harness;
    await pollUntil(async () => (await bot.db.prisma.vm.findUniqueOrThrow({ where: { name: vmName } })).status === "running", 10_000);
    await t.harness.idle();
    expect(await bot.db.prisma.operationExecution.count()).toBe(1);
    expect((await bot.db.prisma.auditLog.findMany({ where: { action: "vm_start" }, orderBy: { id: "asc" } })).map((entry) => entry.outcome)).toEqual(["initiated", "succeeded"]);
    expect((await bot.db.prisma.vm.findUniqueOrThrow({ where: { name: vmName } })).claimAction).toBeNull();
  }

  async function expectStillServing() {
    const { workspace, standIn } = t.harness;
    expect((await workspace.command(USERS.operator.id, "/vm", "whoami")).status).toBe(200);
    await standIn.waitFor(() => latestEphemeral(standIn, USERS.operator.id, { containing: "operator" }), 5000);
  }

  it("waits out a rate limit (429, Retry-After) on the outcome message and posts it once", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    standIn.failNext("chat.postMessage", { error: "ratelimited", retryAfter: 0 });
    expect((await workspace.command(USERS.operator.id, "/vm", "start vm-001")).status).toBe(200);

    await standIn.waitFor(() => botMessages(standIn).some((message) => blocksText(message.blocks).includes("Started 1 VM")), 15_000);
    expect(standIn.callsTo("chat.postMessage").map((call) => call.error ?? "ok")).toEqual(["ratelimited", "ok"]);
    expect(botMessages(standIn)).toHaveLength(1);
    await expectStartedOnce();
    await expectStillServing();
  });

  it("tells the user when Slack refuses the outcome message (invalid_blocks), and the action still happens once", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    standIn.failNext("chat.postMessage", { error: "invalid_blocks" });
    expect((await workspace.command(USERS.operator.id, "/vm", "start vm-001")).status).toBe(200);

    const told = await standIn.waitFor(() => latestEphemeral(standIn, USERS.operator.id), 10_000);
    expect(`${told.text} ${blocksText(told.blocks)}`).toMatch(/went wrong|could not|couldn't/i);
    expect(botMessages(standIn)).toHaveLength(0);
    await expectStartedOnce();
    await expectStillServing();
  });

  it("waits for a slow answer from Slack and acts once", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    standIn.failNext("chat.postMessage", { delayMs: 1500 });
    expect((await workspace.command(USERS.operator.id, "/vm", "start vm-001")).status).toBe(200);

    await standIn.waitFor(() => botMessages(standIn).some((message) => blocksText(message.blocks).includes("Started 1 VM")), 15_000);
    expect(standIn.callsTo("chat.postMessage")).toHaveLength(1);
    expect(botMessages(standIn)).toHaveLength(1);
    await expectStartedOnce();
    await expectStillServing();
  });

  it("keeps following a batch when a progress update is rate-limited or refused", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    standIn.failNext("chat.update", { error: "ratelimited", retryAfter: 0 });
    standIn.failNext("chat.update", { error: "invalid_blocks" });
    expect((await workspace.command(USERS.operator.id, "/vm", "start vm-001")).status).toBe(200);
    await expectStartedOnce();
    // The rate-limited update is sent again (and meets the refusal, which is logged and dropped); later ones go through.
    const updates = standIn.callsTo("chat.update").map((call) => call.error ?? "ok");
    expect(updates.slice(0, 3)).toEqual(["ratelimited", "invalid_blocks", "ok"]);
    expect(standIn.callsTo("chat.postMessage")).toHaveLength(1);
    await expectStillServing();
  });
});
