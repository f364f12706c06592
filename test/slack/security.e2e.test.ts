// What Slack's platform guarantees, and what the bot adds: only correctly signed, fresh requests are
// served; authorization holds against payloads no button produced; a retried delivery acts once.
import { expect, it } from "vitest";
import { describeWithBot } from "../support/describe-with-bot.js";
import { TEAM_ID, USERS } from "../support/bot-harness.js";
import { postSigned } from "../support/raw-delivery.js";
import { addVms, blocksText, latestBotMessage, latestEphemeral } from "../support/slack-helpers.js";

describeWithBot("Slack security end to end", (t) => {
  it("refuses requests with a wrong, missing or stale signature, and does nothing for them", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    for (const delivery of [{ signature: "wrong" as const }, { signature: "missing" as const }, { staleTimestamp: true }]) {
      const reply = await workspace.command(USERS.admin.id, "/vm", "start vm-001", { delivery });
      expect(reply.status).toBe(401);
    }
    expect(await bot.db.prisma.auditLog.count()).toBe(0);
    expect(await bot.db.prisma.user.count()).toBe(0);
    expect(standIn.callsTo("chat.postMessage")).toHaveLength(0);
    expect((await workspace.command(USERS.admin.id, "/vm", "whoami")).status).toBe(200);
  });

  it("refuses a forged button click from a viewer, tells them, and audits it as denied", async () => {
    const { workspace, bot, standIn, botUrl } = t.harness;
    const [vm] = await addVms(bot, 1, { status: "stopped" });
    await workspace.command(USERS.viewer.id, "/vm", "status vm-001");
    const card = await standIn.waitFor(() => latestEphemeral(standIn, USERS.viewer.id));
    expect(JSON.stringify(card.blocks)).not.toContain('"vm_start"'); // never shown to a viewer

    // As Slack sends a click on an ephemeral card: no message, only its container.
    const forged = {
      type: "block_actions",
      team: { id: TEAM_ID, domain: "playground" },
      user: { id: USERS.viewer.id, username: USERS.viewer.name, team_id: TEAM_ID },
      api_app_id: standIn.identity.appId,
      trigger_id: "13345224609.738474920.8088930838d88f008e0",
      container: { type: "message", message_ts: card.ts, channel_id: card.channel, is_ephemeral: true },
      channel: { id: card.channel, name: "general" },
      response_url: `${standIn.baseUrl.replace(/\/$/, "")}/response/forged`,
      state: { values: {} },
      actions: [{ type: "button", action_id: "vm_start", block_id: `vm_status:${vm!.id}`, value: String(vm!.id), text: { type: "plain_text", text: "Start" }, action_ts: "1700000000.000001" }],
    };
    const reply = await postSigned(botUrl, new URLSearchParams({ payload: JSON.stringify(forged) }).toString());
    expect(reply.status).toBe(200);
    await t.harness.idle();

    expect((await bot.db.prisma.vm.findUniqueOrThrow({ where: { id: vm!.id } })).status).toBe("stopped");
    expect(await bot.db.prisma.operationExecution.count()).toBe(0);
    const denied = await bot.db.prisma.auditLog.findMany({ where: { outcome: "denied" }, include: { user: true } });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ action: "vm_start", vmName: "vm-001", source: "slack_button", user: { slackUserId: USERS.viewer.id } });
    // The forged response_url is not one Slack issued, so the refusal arrives as an ephemeral message.
    const refusal = await standIn.waitFor(() => latestEphemeral(standIn, USERS.viewer.id, { containing: "does not allow" }));
    expect(refusal.text).toContain("does not allow vm start");
    expect(refusal.origin).toBe("chat.postEphemeral");
  });

  it("executes a retried delivery of a command or an event only once", async () => {
    const { workspace, bot, standIn, botUrl } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "start vm-001");
    await standIn.waitFor(() => blocksText(latestBotMessage(standIn)?.blocks).includes("Started 1 VM"), 10_000);
    const original = workspace.deliveries.at(-1)!;
    for (const retryNum of [1, 2]) {
      const retry = await postSigned(botUrl, original.requestBody, { retryNum });
      expect(retry.status).toBe(200);
    }
    await t.harness.idle();
    expect(await bot.db.prisma.operationExecution.count()).toBe(1);
    // One action: its intent, then its outcome.
    expect((await bot.db.prisma.auditLog.findMany({ where: { action: "vm_start" }, orderBy: { id: "asc" } })).map((entry) => entry.outcome)).toEqual(["initiated", "succeeded"]);
    expect(standIn.callsTo("chat.postMessage")).toHaveLength(1);

    const home = await workspace.openHome(USERS.operator.id);
    await t.harness.idle();
    await workspace.redeliverEvent(home.envelope, { retryNum: 1, retryReason: "http_timeout" });
    await t.harness.idle();
    expect(standIn.callsTo("views.publish")).toHaveLength(1);
  });
});
