// Clicks through the VM list as Slack would: signed requests into Bolt's real HTTP receiver, the bot's
// Web API calls answered (and spec-checked) by the stand-in.
import { expect, it } from "vitest";
import { describeWithBot } from "../support/describe-with-bot.js";
import { USERS } from "../support/bot-harness.js";
import { addVms, blocksText, latestBotMessage } from "../support/slack-helpers.js";

describeWithBot("VM list end to end", (t) => {
  it("lists, selects two VMs on different pages, starts them, shows progress, and audits both", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 25, { status: "stopped" });
    const reply = await workspace.command(USERS.operator.id, "/vm", "list");
    expect(reply.status).toBe(200);
    const list = await standIn.waitFor(() => latestBotMessage(standIn));
    const target = { channel: list.channel, ts: list.ts };
    expect(blocksText(list.blocks)).toContain("25 VMs");

    const firstRow = (list.blocks ?? []).find((block) => String(block.block_id).startsWith("vm_row:"))!;
    await workspace.selectCheckboxes(USERS.operator.id, target, "vm_list_select", [firstRow.block_id!.slice(7)], { blockId: firstRow.block_id });
    await standIn.waitFor(() => blocksText(standIn.message(target.channel, target.ts)?.blocks).includes("1 selected"));

    await workspace.clickButton(USERS.operator.id, target, "vm_list_next");
    const page2 = await standIn.waitFor(() => {
      const message = standIn.message(target.channel, target.ts)!;
      return blocksText(message.blocks).includes("vm-011") ? message : undefined;
    });
    const secondRow = (page2.blocks ?? []).find((block) => String(block.block_id).startsWith("vm_row:"))!;
    await workspace.selectCheckboxes(USERS.operator.id, target, "vm_list_select", [secondRow.block_id!.slice(7)], { blockId: secondRow.block_id });
    await standIn.waitFor(() => blocksText(standIn.message(target.channel, target.ts)?.blocks).includes("2 selected"));

    await workspace.clickButton(USERS.operator.id, target, "vm_list_start");
    await standIn.waitFor(() => blocksText(standIn.message(target.channel, target.ts)?.blocks).includes("Starting 2 VMs"), 5000);
    const done = await standIn.waitFor(() => {
      const text = blocksText(standIn.message(target.channel, target.ts)?.blocks);
      return text.includes("Started 2 VMs") ? text : undefined;
    }, 10_000);
    expect(done).toContain("Started 2 VMs");
    expect(done).toContain("2/2 running");
    expect(standIn.callsTo("chat.update").length).toBeGreaterThanOrEqual(4);

    const started = await bot.db.prisma.auditLog.findMany({ where: { action: "vm_start" }, include: { user: true } });
    expect(started.map((entry) => `${entry.vmName}:${entry.outcome}`).sort()).toEqual(["vm-001:initiated", "vm-001:succeeded", "vm-011:initiated", "vm-011:succeeded"]);
    expect(started.every((entry) => entry.source === "slack_button" && entry.user?.slackUserId === USERS.operator.id)).toBe(true);
    expect(await bot.db.prisma.vm.count({ where: { status: "running" } })).toBe(2);
  });

  it("shows viewers the same list without any action controls", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    await workspace.command(USERS.viewer.id, "/vm", "list");
    const list = await standIn.waitFor(() => latestBotMessage(standIn));
    const actionIds = JSON.stringify(list.blocks);
    expect(actionIds).not.toMatch(/vm_list_select|vm_list_start|vm_list_pick/);
    expect(actionIds).toContain("vm_list_refresh");
    const views = await bot.db.prisma.auditLog.count({ where: { action: "view", user: { slackUserId: USERS.viewer.id } } });
    expect(views).toBe(1);
  });

  it("answers bad filters and unknown subcommands with a short usage reply", async () => {
    const { workspace, standIn } = t.harness;
    await workspace.command(USERS.operator.id, "/vm", "list status:sleepy");
    const ephemeral = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.operator.id }).at(-1));
    expect(ephemeral.text).toContain('Unknown status "sleepy"');
    await workspace.command(USERS.operator.id, "/vm", "frobnicate");
    const unknown = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.operator.id }).find((entry) => entry.text?.includes("frobnicate")));
    expect(unknown.text).toContain("/vm help");
  });

  it("picks VMs from the whole inventory with the typeahead and filters through the modal", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 40, { status: "stopped" });
    const user = USERS.operator.id;
    await workspace.command(user, "/vm", "list");
    const list = await standIn.waitFor(() => latestBotMessage(standIn));
    const target = { channel: list.channel, ts: list.ts };
    const current = () => blocksText(standIn.message(target.channel, target.ts)?.blocks);

    const suggestions = await workspace.suggest(user, target, "vm_list_pick", "vm-03");
    expect(suggestions.options.map((option) => blocksText(option.text))).toEqual(Array.from({ length: 10 }, (_, index) => `vm-03${index}`));
    await workspace.selectOption(user, target, "vm_list_pick", suggestions.options.slice(0, 3));
    await standIn.waitFor(() => current().includes("3 selected"));
    expect(current()).toContain("Start (3 selected)");

    await workspace.clickButton(user, target, "vm_list_filter");
    const modal = await standIn.waitFor(() => standIn.openViews(user)[0]);
    const bad = await workspace.submitView(user, modal.id, { query: "status:sleepy" });
    expect(bad.responseAction).toBe("errors");
    expect(JSON.stringify(bad.errors)).toContain('Unknown status \\"sleepy\\"');
    await workspace.submitView(user, modal.id, { query: "name~vm-01" });
    await standIn.waitFor(() => current().includes("10 VMs") && current().includes("filter `name~vm-01`"));
    expect(current()).toContain("3 selected"); // the selection survives a new filter

    await workspace.clickButton(user, target, "vm_list_clear");
    await standIn.waitFor(() => !current().includes("selected"));
  });

  it("starts a VM from its status card and shows the progress on the card", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    await workspace.command(USERS.admin.id, "/vm", "status vm-001");
    const card = await standIn.waitFor(() => latestBotMessage(standIn));
    expect(blocksText(card.blocks)).toContain("stopped");
    await workspace.clickButton(USERS.admin.id, { channel: card.channel, ts: card.ts }, "vm_start");
    const done = await standIn.waitFor(() => {
      const text = blocksText(standIn.message(card.channel, card.ts)?.blocks);
      return text.includes("Started 1 VM") ? text : undefined;
    }, 10_000);
    expect(done).toContain("1/1 running");
    expect((await bot.db.prisma.vm.findFirstOrThrow()).status).toBe("running");
  });
});
