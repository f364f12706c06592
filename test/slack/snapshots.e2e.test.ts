// Snapshot create (modal), restore of a running VM and delete, clicked through Bolt's receiver. The
// snapshot list is the asker's (ephemeral, redrawn in place); what they do is told to the channel.
import { expect, it } from "vitest";
import { describeWithBot } from "../support/describe-with-bot.js";
import { TEAM_ID, USERS } from "../support/bot-harness.js";
import { postSigned } from "../support/raw-delivery.js";
import { addVms, blocksText, botMessages, ephemeralNow, latestEphemeral, pollUntil } from "../support/slack-helpers.js";

describeWithBot("snapshots end to end", (t) => {
  it("creates through the modal, restores a running VM and brings it back, deletes", async () => {
    const { workspace, standIn, bot } = t.harness;
    const [vm] = await addVms(bot, 1, { status: "running" });
    const user = USERS.operator.id;

    // From the status card: its Snapshots button turns the caller's card into the snapshot list, in place.
    await workspace.command(user, "/vm", "status vm-001");
    const target = await standIn.waitFor(() => latestEphemeral(standIn, user));
    const text = () => blocksText(ephemeralNow(standIn, user, target)?.blocks);
    await workspace.clickButton(user, target, "vm_snapshots");
    await standIn.waitFor(() => text().includes("Snapshots of vm-001"));
    expect(standIn.ephemerals({ user })).toHaveLength(1);
    expect(botMessages(standIn)).toEqual([]);

    await workspace.clickButton(user, target, "snapshot_open_create");
    const modal = await standIn.waitFor(() => standIn.openViews(user)[0]);
    expect(modal.callback_id).toBe("snapshot_create_modal");
    const badName = await workspace.submitView(user, modal.id, { name: "no spaces allowed" });
    expect(badName.responseAction).toBe("errors");
    const submitted = await workspace.submitView(user, modal.id, { name: "before-patch" });
    expect(submitted.status).toBe(200);
    await standIn.waitFor(() => text().includes("before-patch"));
    const taken = await standIn.waitFor(() => botMessages(standIn)[0]);
    expect(blocksText(taken.blocks)).toBe(`:camera_with_flash: <@${user}> started snapshot *before-patch* of *vm-001*.`);

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
    // The channel's restore message was posted once and followed each step in place.
    const restored = botMessages(standIn)[1]!;
    expect(blocksText(restored.blocks)).toContain("Restored vm-001 from before-patch");
    expect(blocksText(restored.blocks)).toContain(`requested by <@${user}>`);
    expect(standIn.callsTo("chat.update").filter((call) => call.args.ts === restored.ts).length).toBeGreaterThanOrEqual(1);
    expect(text()).toContain("Restored vm-001 from before-patch"); // the asker's list, redrawn when it ended

    await workspace.clickButton(user, target, "snapshot_delete", { blockId: rowBlock });
    await t.harness.idle();
    expect(blocksText(botMessages(standIn)[2]?.blocks)).toContain(`<@${user}> is deleting snapshot *before-patch* of *vm-001*`);
    await pollUntil(async () => {
      await workspace.clickButton(user, target, "snapshot_refresh");
      await t.harness.idle();
      return (await bot.db.prisma.snapshot.count()) === 0;
    });
    expect(text()).not.toContain("before-patch");
    expect(botMessages(standIn)).toHaveLength(3);
    expect(standIn.ephemerals({ user })).toHaveLength(1);

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
    const { workspace, standIn, bot, botUrl } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "snapshot create vm-001 nightly");
    await standIn.waitFor(() => latestEphemeral(standIn, USERS.operator.id));
    await standIn.waitFor(() => botMessages(standIn)[0]);
    await workspace.command(USERS.viewer.id, "/vm", "snapshots vm-001");
    const viewerList = await standIn.waitFor(() => latestEphemeral(standIn, USERS.viewer.id));
    expect(blocksText(viewerList.blocks)).toContain("nightly");
    expect(JSON.stringify(viewerList.blocks)).not.toMatch(/snapshot_(restore|delete|open_create)/);

    // A Delete the viewer was never shown, forged onto their own ephemeral list.
    const snapshot = await bot.db.prisma.snapshot.findFirstOrThrow();
    const forged = {
      type: "block_actions",
      team: { id: TEAM_ID, domain: "playground" },
      user: { id: USERS.viewer.id, username: USERS.viewer.name, team_id: TEAM_ID },
      api_app_id: standIn.identity.appId,
      trigger_id: "13345224609.738474920.8088930838d88f008e1",
      container: { type: "message", message_ts: viewerList.ts, channel_id: viewerList.channel, is_ephemeral: true },
      channel: { id: viewerList.channel, name: "general" },
      response_url: `${standIn.baseUrl}/response/forged`,
      state: { values: {} },
      actions: [{ type: "button", action_id: "snapshot_delete", block_id: `snapshot:${snapshot.id}`, value: String(snapshot.id), text: { type: "plain_text", text: "Delete" }, action_ts: "1700000000.000002" }],
    };
    expect((await postSigned(botUrl, new URLSearchParams({ payload: JSON.stringify(forged) }).toString())).status).toBe(200);
    await t.harness.idle();
    expect(await bot.db.prisma.snapshot.count({ where: { status: "deleting" } })).toBe(0);
    expect(await bot.db.prisma.auditLog.count({ where: { action: "snapshot_deleted", outcome: "denied", user: { slackUserId: USERS.viewer.id } } })).toBe(1);
    expect(botMessages(standIn)).toHaveLength(1); // a refusal is not an outcome for the channel
  });
});
