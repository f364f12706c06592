// Snapshot create (modal), restore of a running VM and delete, clicked through Bolt's receiver.
import { expect, it } from "vitest";
import { describeWithBot } from "../support/describe-with-bot.js";
import { USERS } from "../support/bot-harness.js";
import { addVms, blocksText, latestBotMessage, pollUntil } from "../support/slack-helpers.js";

describeWithBot("snapshots end to end", (t) => {
  it("creates through the modal, restores a running VM and brings it back, deletes", async () => {
    const { workspace, standIn, bot } = t.harness;
    const [vm] = await addVms(bot, 1, { status: "running" });
    const user = USERS.operator.id;

    await workspace.command(user, "/vm", "snapshots vm-001");
    const list = await standIn.waitFor(() => latestBotMessage(standIn));
    const target = { channel: list.channel, ts: list.ts };
    const text = () => blocksText(standIn.message(target.channel, target.ts)?.blocks);

    await workspace.clickButton(user, target, "snapshot_open_create");
    const modal = await standIn.waitFor(() => standIn.openViews(user)[0]);
    expect(modal.callback_id).toBe("snapshot_create_modal");
    const badName = await workspace.submitView(user, modal.id, { name: "no spaces allowed" });
    expect(badName.responseAction).toBe("errors");
    const submitted = await workspace.submitView(user, modal.id, { name: "before-patch" });
    expect(submitted.status).toBe(200);
    await standIn.waitFor(() => text().includes("before-patch"));

    const snapshot = await bot.db.prisma.snapshot.findFirstOrThrow({ where: { name: "before-patch" } });
    const rowBlock = `snapshot:${snapshot.id}`;
    await pollUntil(async () => {
      await workspace.clickButton(user, target, "snapshot_refresh");
      await t.harness.idle();
      return (await bot.db.prisma.snapshot.findUniqueOrThrow({ where: { id: snapshot.id } })).status === "available";
    });

    const restore = await workspace.clickButton(user, target, "snapshot_restore", { blockId: rowBlock });
    expect(restore.status).toBe(200);
    await t.harness.idle();
    expect((await bot.db.prisma.vm.findUniqueOrThrow({ where: { id: vm!.id } })).status).toBe("running");
    const history = await bot.db.prisma.vmStateHistory.findMany({ where: { vmId: vm!.id }, orderBy: { id: "asc" } });
    expect(history.map((entry) => entry.toStatus)).toEqual(["stopping", "stopped", "starting", "running"]);
    expect(text()).toMatch(/restor/i);

    await workspace.clickButton(user, target, "snapshot_delete", { blockId: rowBlock });
    await t.harness.idle();
    await pollUntil(async () => {
      await workspace.clickButton(user, target, "snapshot_refresh");
      await t.harness.idle();
      return (await bot.db.prisma.snapshot.count()) === 0;
    });
    expect(text()).not.toContain("before-patch");

    const audit = await bot.db.prisma.auditLog.findMany({ where: { action: { startsWith: "snapshot_" } }, orderBy: { id: "asc" }, include: { user: true } });
    expect(audit.map((entry) => `${entry.action}:${entry.outcome}:${entry.source}`)).toEqual([
      "snapshot_created:initiated:slack_modal",
      "snapshot_created:succeeded:slack_modal",
      "snapshot_restored:initiated:slack_button",
      "snapshot_restored:succeeded:slack_button",
      "snapshot_deleted:initiated:slack_button",
      "snapshot_deleted:succeeded:slack_button",
    ]);
    expect(audit.every((entry) => entry.user?.slackUserId === user && entry.vmName === "vm-001")).toBe(true);
  });

  it("shows viewers snapshots without Restore, Delete or Create, and refuses them if they click anyway", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "snapshot create vm-001 nightly");
    await standIn.waitFor(() => latestBotMessage(standIn));
    await workspace.command(USERS.viewer.id, "/vm", "snapshots vm-001");
    const viewerList = await standIn.waitFor(() => {
      const latest = latestBotMessage(standIn);
      return latest && standIn.conversation(latest.channel).filter((entry) => entry.bot_id).length === 2 ? latest : undefined;
    });
    expect(JSON.stringify(viewerList.blocks)).not.toMatch(/snapshot_(restore|delete|open_create)/);

    const operatorList = standIn.conversation(viewerList.channel).filter((entry) => entry.bot_id)[0]!;
    const snapshot = await bot.db.prisma.snapshot.findFirstOrThrow();
    await workspace.clickButton(USERS.viewer.id, { channel: viewerList.channel, ts: operatorList.ts }, "snapshot_delete", { blockId: `snapshot:${snapshot.id}` });
    await t.harness.idle();
    expect(await bot.db.prisma.snapshot.count({ where: { status: "deleting" } })).toBe(0);
    expect(await bot.db.prisma.auditLog.count({ where: { action: "snapshot_deleted", outcome: "denied", user: { slackUserId: USERS.viewer.id } } })).toBe(1);
  });
});
