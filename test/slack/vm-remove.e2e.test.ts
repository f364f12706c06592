// Removing a VM through Slack (signed requests through Bolt's receiver, the Web API stand-in checking
// every call): `/vm remove` asks first, the status card's Remove button is for admins only, a forged
// click from an operator is refused and audited, snapshots and history outlive the VM.
import { expect, it } from "vitest";
import { describeWithBot } from "../support/describe-with-bot.js";
import { TEAM_ID, USERS } from "../support/bot-harness.js";
import { postSigned } from "../support/raw-delivery.js";
import { addVms, blocksText, botMessages, ephemeralNow, latestEphemeral } from "../support/slack-helpers.js";

describeWithBot("removing a VM end to end", (t) => {
  async function vmWithRecords() {
    const { bot } = t.harness;
    const [vm] = await addVms(bot, 1, { status: "running" });
    await bot.db.prisma.snapshot.create({ data: { vmId: vm!.id, name: "keep-me", status: "available" } });
    await bot.db.prisma.vmStateHistory.create({ data: { vmId: vm!.id, fromStatus: "stopped", toStatus: "running", reason: "test" } });
    return vm!;
  }

  it("`/vm remove` answers the admin with a confirmation; Remove (confirmed) removes it, keeping snapshots and history", async () => {
    const { workspace, standIn, bot } = t.harness;
    const vm = await vmWithRecords();
    await workspace.command(USERS.admin.id, "/vm", "remove vm-001");
    const confirmation = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.admin.id }).find((entry) => JSON.stringify(entry.blocks ?? []).includes("vm_remove")));
    expect(blocksText(confirmation.blocks)).toContain("1 snapshot");
    expect(standIn.callsTo("chat.postMessage")).toHaveLength(0); // nothing in the channel for a question
    const button = JSON.stringify(confirmation.blocks);
    expect(button).toContain('"confirm"');
    expect(button).toContain("Remove vm-001?");

    const cancelled = await workspace.clickButton(USERS.admin.id, { channel: confirmation.channel, ts: confirmation.ts }, "vm_remove", { confirm: false });
    expect(cancelled.sent).toBe(false);
    expect(await bot.db.prisma.vm.count()).toBe(1);

    await workspace.clickButton(USERS.admin.id, { channel: confirmation.channel, ts: confirmation.ts }, "vm_remove");
    await t.harness.idle();
    expect(await bot.db.prisma.vm.count()).toBe(0);
    expect((await bot.db.prisma.snapshot.findFirstOrThrow()).vmId).toBeNull();
    expect((await bot.db.prisma.vmStateHistory.findFirstOrThrow()).vmId).toBeNull();
    const entry = await bot.db.prisma.auditLog.findFirstOrThrow({ where: { action: "delete" }, include: { user: true } });
    expect(entry).toMatchObject({ outcome: "succeeded", source: "slack_button", vmName: "vm-001", user: { slackUserId: USERS.admin.id } });
    // The confirmation becomes the outcome, and the channel is told who removed what.
    const replaced = await standIn.waitFor(() => {
      const now = ephemeralNow(standIn, USERS.admin.id, confirmation);
      return now?.text.includes("removed *vm-001*") ? now : undefined;
    });
    expect(JSON.stringify(replaced.blocks)).not.toContain("vm_remove");
    const told = await standIn.waitFor(() => botMessages(standIn).find((message) => message.text.includes(`<@${USERS.admin.id}> removed *vm-001*`)));
    expect(told.text).toContain("not touched");
    expect((await bot.providers.simulator("simulator").describeInstance(vm.providerResourceId)).state).toBe("running");
  });

  it("shows Remove on an admin's status card only, behind a confirm dialog naming the VM", async () => {
    const { workspace, standIn, bot } = t.harness;
    await vmWithRecords();
    await workspace.command(USERS.operator.id, "/vm", "status vm-001");
    const operatorCard = await standIn.waitFor(() => latestEphemeral(standIn, USERS.operator.id, { containing: "Snapshots (1)" }));
    expect(JSON.stringify(operatorCard.blocks)).toContain('"vm_start"');
    expect(JSON.stringify(operatorCard.blocks)).not.toContain('"vm_remove"');

    await workspace.command(USERS.admin.id, "/vm", "status vm-001");
    const adminCard = await standIn.waitFor(() => latestEphemeral(standIn, USERS.admin.id, { containing: "Snapshots (1)" }));
    const remove = JSON.stringify(adminCard.blocks);
    expect(remove).toContain('"vm_remove"');
    expect(remove).toContain("Remove vm-001?");
    await workspace.clickButton(USERS.admin.id, { channel: adminCard.channel, ts: adminCard.ts }, "vm_remove");
    await t.harness.idle();
    expect(await bot.db.prisma.vm.count()).toBe(0);
    expect(await bot.db.prisma.snapshot.count()).toBe(1);
    // The card of a VM no longer in the inventory is replaced by the outcome.
    const card = await standIn.waitFor(() => {
      const now = ephemeralNow(standIn, USERS.admin.id, adminCard);
      return now?.text.includes("removed *vm-001*") ? now : undefined;
    });
    expect(JSON.stringify(card.blocks ?? [])).not.toContain("vm_start");
    await standIn.waitFor(() => botMessages(standIn).some((message) => message.text.includes("removed *vm-001*")));
  });

  it("refuses an operator's forged Remove click, tells them, and audits it as a denied delete", async () => {
    const { workspace, standIn, bot, botUrl } = t.harness;
    const vm = await vmWithRecords();
    await workspace.command(USERS.operator.id, "/vm", "status vm-001");
    const card = await standIn.waitFor(() => latestEphemeral(standIn, USERS.operator.id, { containing: "Snapshots (1)" }));
    const forged = {
      type: "block_actions",
      team: { id: TEAM_ID, domain: "playground" },
      user: { id: USERS.operator.id, username: USERS.operator.name, team_id: TEAM_ID },
      api_app_id: standIn.identity.appId,
      trigger_id: "13345224609.738474920.8088930838d88f008e1",
      container: { type: "message", message_ts: card.ts, channel_id: card.channel, is_ephemeral: true },
      channel: { id: card.channel, name: "general" },
      message: { type: "message", ts: card.ts, text: card.text, blocks: card.blocks },
      response_url: `${standIn.baseUrl.replace(/\/$/, "")}/response/forged`,
      state: { values: {} },
      actions: [{ type: "button", action_id: "vm_remove", block_id: `vm_status:${vm.id}`, value: String(vm.id), text: { type: "plain_text", text: "Remove" }, action_ts: "1700000000.000002" }],
    };
    expect((await postSigned(botUrl, new URLSearchParams({ payload: JSON.stringify(forged) }).toString())).status).toBe(200);
    await t.harness.idle();

    expect(await bot.db.prisma.vm.count()).toBe(1);
    const denied = await bot.db.prisma.auditLog.findMany({ where: { outcome: "denied" }, include: { user: true } });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ action: "delete", vmName: "vm-001", source: "slack_button", user: { slackUserId: USERS.operator.id } });
    const refusal = await standIn.waitFor(() => latestEphemeral(standIn, USERS.operator.id, { containing: "does not allow vm delete" }));
    expect(refusal.text).toContain("Your role (operator)");
    expect(botMessages(standIn)).toEqual([]); // nothing happened, so nothing for the channel

    // `/vm remove` from an operator is refused before any confirmation is offered.
    await workspace.command(USERS.operator.id, "/vm", "remove vm-001");
    await t.harness.idle();
    expect(await bot.db.prisma.auditLog.count({ where: { outcome: "denied", action: "delete" } })).toBe(2);
    expect(standIn.ephemerals({ user: USERS.operator.id }).some((message) => JSON.stringify(message.blocks ?? []).includes("vm_remove"))).toBe(false);
  });

  it("refuses to remove a VM with work in flight, saying what is running", async () => {
    const { workspace, standIn, bot } = t.harness;
    const vm = await vmWithRecords();
    await workspace.command(USERS.admin.id, "/vm", "remove vm-001");
    const confirmation = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.admin.id }).find((entry) => JSON.stringify(entry.blocks ?? []).includes("vm_remove")));
    await bot.db.prisma.vm.update({ where: { id: vm.id }, data: { claimAction: "vm_start", claimedAt: new Date(), claimExpiresAt: new Date(Date.now() + 60_000) } });
    await workspace.clickButton(USERS.admin.id, { channel: confirmation.channel, ts: confirmation.ts }, "vm_remove");
    await t.harness.idle();
    expect(await bot.db.prisma.vm.count()).toBe(1);
    const reply = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.admin.id }).find((message) => message.text?.includes("busy")));
    expect(reply.text).toMatch(/vm-001 is busy: start requested at <!date\^\d+\^/);
  });

  it("lists `/vm remove` in the help", async () => {
    const { workspace, standIn } = t.harness;
    await workspace.command(USERS.viewer.id, "/vm", "help");
    const help = await standIn.waitFor(() => latestEphemeral(standIn, USERS.viewer.id, { containing: "/vm remove <vm>" }));
    expect(blocksText(help.blocks)).toContain("remove a VM from the inventory");
  });
});
