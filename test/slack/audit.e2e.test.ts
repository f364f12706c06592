// The audit log through Slack: command filters, the filter modal with pickers, paging, CSV export,
// and the App Home.
import { parse } from "csv-parse/sync";
import { expect, it } from "vitest";
import { describeWithBot } from "../support/describe-with-bot.js";
import { USERS } from "../support/bot-harness.js";
import { addVms, blocksText, botMessages, ephemeralNow, latestEphemeral } from "../support/slack-helpers.js";

describeWithBot("audit end to end", (t) => {
  async function someHistory() {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "start vm-001 vm-002");
    await workspace.command(USERS.admin.id, "/vm", "start vm-003");
    await workspace.command(USERS.viewer.id, "/vm", "stop vm-001"); // denied
    await t.harness.idle();
    await standIn.waitFor(async () => (await bot.db.prisma.vm.count({ where: { status: "running" } })) === 3, 5000);
    standIn.reset();
  }

  it("filters from the command, opens the filter modal, applies pickers, and exports the result as CSV", async () => {
    const { workspace, standIn, bot } = t.harness;
    await someHistory();

    await workspace.command(USERS.admin.id, "/vm", "audit action:vm_start since:24h");
    const message = await standIn.waitFor(() => latestEphemeral(standIn, USERS.admin.id));
    expect(botMessages(standIn)).toEqual([]); // the audit log is the asker's, not the channel's
    const text = blocksText(message.blocks);
    expect(text).toContain("vm-001");
    expect(text).toContain("vm-003");
    expect(text).not.toMatch(/vm_stop/);

    await workspace.clickButton(USERS.admin.id, { channel: message.channel, ts: message.ts }, "audit_open_filters");
    const modal = await standIn.waitFor(() => {
      const view = standIn.openViews(USERS.admin.id)[0];
      return view && !blocksText(view.blocks).includes("Loading") ? view : undefined;
    });
    expect(modal.callback_id).toBe("audit_modal");
    const reply = await workspace.submitView(USERS.admin.id, modal.id, {
      "audit_users::users": [USERS.viewer.id],
      "audit_actions::actions": ["vm_stop"],
      "audit_since::since": "24h",
    });
    expect(reply.status).toBe(200);
    const results = await standIn.waitFor(() => {
      const view = standIn.view(modal.id);
      const body = blocksText(view?.blocks);
      return body.includes("vm_stop") && !body.includes("Loading") ? body : undefined;
    });
    expect(results).toContain("denied");
    expect(results).not.toContain("vm-002");

    await workspace.clickButton(USERS.admin.id, { channel: message.channel, ts: message.ts }, "audit_export");
    const file = await standIn.waitFor(() => standIn.files().find((entry) => entry.content?.length));
    const rows = parse(file.content!.toString("utf8"), { columns: true }) as Record<string, string>[];
    // Each start: its intent (before the cloud was asked), then its outcome.
    expect(rows.map((row) => `${row.vm}:${row.outcome}`).sort()).toEqual(["vm-001:initiated", "vm-001:succeeded", "vm-002:initiated", "vm-002:succeeded", "vm-003:initiated", "vm-003:succeeded"]);
    expect(rows.every((row) => row.action === "vm_start")).toBe(true);
    await standIn.waitFor(() => standIn.callsTo("files.completeUploadExternal").length === 1);
    await t.harness.idle();
    expect(standIn.callsTo("files.completeUploadExternal")[0]!.args).toMatchObject({ channel_id: standIn.dmChannel(USERS.admin.id).id });
    expect(await bot.db.prisma.auditLog.count({ where: { action: "audit_exported", user: { slackUserId: USERS.admin.id } } })).toBe(1);
  });

  it("pages the log with Older and Newer", async () => {
    const { workspace, standIn, bot } = t.harness;
    const operator = await bot.services.users.resolveActor({ teamId: "T0PLAYGRND", slackUserId: USERS.operator.id }, "system");
    await bot.services.audit.recordMany(
      Array.from({ length: 45 }, (_, index) => ({ actor: operator, source: "schedule" as const, action: "reboot" as const, outcome: "succeeded" as const, vmName: `box-${index}`, at: new Date(Date.now() - index * 60_000) })),
    );
    await workspace.command(USERS.admin.id, "/vm", "audit action:reboot");
    const message = await standIn.waitFor(() => latestEphemeral(standIn, USERS.admin.id));
    const target = { channel: message.channel, ts: message.ts };
    expect(blocksText(message.blocks)).toContain("box-0");
    await workspace.clickButton(USERS.admin.id, target, "audit_next");
    const current = () => blocksText(ephemeralNow(standIn, USERS.admin.id, target)?.blocks);
    await standIn.waitFor(() => current().includes("*box-25*") && !current().includes("*box-0*"));
    await workspace.clickButton(USERS.admin.id, target, "audit_previous");
    await standIn.waitFor(() => current().includes("*box-0*") && !current().includes("*box-25*"));
    expect(standIn.ephemerals({ user: USERS.admin.id })).toHaveLength(1); // paged in place
    expect(standIn.ephemerals({ user: USERS.operator.id })).toEqual([]);
  });

  it("publishes the App Home with the user's role and recent actions, audited as a view", async () => {
    const { workspace, standIn, bot } = t.harness;
    await someHistory();
    await workspace.openHome(USERS.operator.id);
    const home = await standIn.waitFor(() => standIn.homeView(USERS.operator.id));
    const text = blocksText(home.blocks);
    expect(text).toContain("operator");
    expect(text).toContain("vm-001");
    expect(JSON.stringify(home.blocks)).toContain("home_list_vms");
    expect(await bot.db.prisma.auditLog.count({ where: { action: "view", source: "slack_home", user: { slackUserId: USERS.operator.id } } })).toBe(1);
  });
});
