// Drift through Slack: a VM changed behind the bot's back, the sync's DM to the admin with its three buttons,
// Revert clicked (a signed block_actions of the DM's button): the VM is put back and the DM redrawn.
import { expect, it } from "vitest";
import { USERS } from "../support/bot-harness.js";
import { describeWithBot } from "../support/describe-with-bot.js";
import { blocksText, pollUntil } from "../support/slack-helpers.js";

describeWithBot("drift end to end", (t) => {
  it("a drift DM answered with Revert puts the VM back and redraws the DM", async () => {
    const { workspace, standIn, bot } = t.harness;
    await workspace.command(USERS.admin.id, "/vm", "whoami");
    await t.harness.idle(); // the admin is known to the bot (the command's work runs after its ack)
    const instance = await bot.providers.simulator("simulator").registerInstance({ name: "web-1", region: "sim-1", state: "running" });
    const vm = await bot.db.prisma.vm.create({ data: { name: "web-1", provider: "simulator", region: "sim-1", providerResourceId: instance.resourceId, status: "running" } });
    // Someone stops it in the cloud console.
    await bot.db.prisma.simulatedInstance.update({ where: { resourceId: instance.resourceId }, data: { state: "stopped" } });

    expect(await bot.services.drift.syncAll()).toMatchObject({ drifted: 1, providerCalls: 1 });
    const note = await pollUntil(() => bot.db.prisma.notification.findFirst({ where: { kind: "state_drift", status: "sent" } }).then((row) => row ?? undefined));
    const dm = standIn.dmChannel(USERS.admin.id).id;
    expect(note.dmChannel).toBe(dm);
    const message = standIn.message(dm, note.dmTs!)!;
    expect(blocksText(message.blocks)).toContain("web-1 is stopped in the cloud, but the bot last knew it running");
    const buttons = JSON.stringify(message.blocks);
    for (const label of ["Adopt", "Revert", "Ignore this VM"]) expect(buttons).toContain(`"text":"${label}"`);

    await workspace.clickButton(USERS.admin.id, { channel: dm, ts: note.dmTs! }, "notify_drift_revert");
    await pollUntil(async () => (await bot.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).status === "running", 10_000);
    await t.harness.idle();
    expect((await bot.db.prisma.simulatedInstance.findUniqueOrThrow({ where: { resourceId: instance.resourceId } })).state).toBe("running");
    const redrawn = standIn.message(dm, note.dmTs!)!;
    expect(blocksText(redrawn.blocks)).toContain("Reverted by ada");
    expect(JSON.stringify(redrawn.blocks)).not.toContain("notify_drift_revert");
    const audit = await bot.db.prisma.auditLog.findMany({ where: { vmId: vm.id }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => `${entry.action}:${entry.outcome}:${entry.source}`)).toEqual([
      "state_drift_detected:succeeded:schedule",
      "state_drift_reverted:succeeded:slack_button",
      "vm_start:initiated:slack_button",
      "vm_start:succeeded:slack_button",
    ]);
  });
});
