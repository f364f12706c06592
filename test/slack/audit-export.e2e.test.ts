// The audit export through Slack with a small cap (AUDIT_EXPORT_MAX_ROWS): the file is uploaded the
// streamed way (getUploadURLExternal with the exact length, the bytes POSTed, completeUploadExternal),
// formula cells arrive neutralised, and a filter selecting too much gets a clear message.
import { parse } from "csv-parse/sync";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { startHarness, USERS, type BotHarness } from "../support/bot-harness.js";
import { describeEachDialect } from "../support/dialects.js";
import { addVms, latestEphemeral } from "../support/slack-helpers.js";

const CAP = 6;

describeEachDialect("audit export end to end", (dialect) => {
  let harness: BotHarness;
  beforeAll(async () => {
    harness = await startHarness(dialect, { AUDIT_EXPORT_MAX_ROWS: String(CAP) });
  });
  afterEach(async () => {
    await harness.idle();
    expect(harness.standIn.violations).toEqual([]);
    await harness.reset();
  });
  afterAll(async () => harness?.stop());

  async function auditMessage(text: string) {
    const { workspace, standIn } = harness;
    standIn.reset();
    await workspace.command(USERS.admin.id, "/vm", `audit ${text}`);
    return standIn.waitFor(() => latestEphemeral(standIn, USERS.admin.id, { containing: "Export CSV" }));
  }

  it("uploads the CSV streamed with its exact length, with a formula display name neutralised, recorded with its row count", async () => {
    const { workspace, standIn, bot } = harness;
    await addVms(bot, 2, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "start vm-001 vm-002");
    await harness.idle();
    await bot.db.prisma.user.update({ where: { teamId_slackUserId: { teamId: "T0PLAYGRND", slackUserId: USERS.operator.id } }, data: { displayName: '=HYPERLINK("https://evil.example","x")' } });

    const message = await auditMessage("action:vm_start");
    await workspace.clickButton(USERS.admin.id, { channel: message.channel, ts: message.ts }, "audit_export");
    await harness.idle();
    const file = await standIn.waitFor(() => standIn.files().find((entry) => entry.completed && entry.content?.length));
    const announced = standIn.callsTo("files.getUploadURLExternal");
    expect(announced).toHaveLength(1);
    expect(Number(announced[0]!.args.length)).toBe(file.content!.length);
    // The export is the clicker's lookup: it goes to their DM, never to the channel.
    expect(standIn.callsTo("files.completeUploadExternal")[0]!.args).toMatchObject({ channel_id: standIn.dmChannel(USERS.admin.id).id });
    expect(standIn.callsTo("files.completeUploadExternal")[0]!.args.channel_id).not.toBe(message.channel);
    const rows = parse(file.content!.toString("utf8"), { columns: true }) as Record<string, string>[];
    // Each start: its intent, then its outcome.
    expect(rows.map((row) => `${row.vm}:${row.outcome}`).sort()).toEqual(["vm-001:initiated", "vm-001:succeeded", "vm-002:initiated", "vm-002:succeeded"]);
    expect(rows.every((row) => row.user_name === `'=HYPERLINK("https://evil.example","x")`)).toBe(true);
    const recorded = await bot.db.prisma.auditLog.findMany({ where: { action: "audit_exported" } });
    expect(recorded.map((entry) => [entry.outcome, (entry.details as { rows: number }).rows])).toEqual([["succeeded", 4]]);
  });

  it("refuses a filter selecting more than the cap, saying how many and the limit, recorded as failed", async () => {
    const { workspace, standIn, bot } = harness;
    const operator = await bot.services.users.resolveActor({ teamId: "T0PLAYGRND", slackUserId: USERS.operator.id }, "system");
    await bot.services.audit.recordMany(
      Array.from({ length: CAP + 4 }, (_, index) => ({ actor: operator, source: "schedule" as const, action: "reboot" as const, outcome: "succeeded" as const, vmName: `box-${index}`, at: new Date(Date.now() - index * 60_000) })),
    );
    const message = await auditMessage("action:reboot");
    await workspace.clickButton(USERS.admin.id, { channel: message.channel, ts: message.ts }, "audit_export");
    await harness.idle();
    const reply = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.admin.id }).find((entry) => entry.text?.includes("Narrow the filter")));
    expect(reply.text).toContain(`it selects ${CAP + 4} entries, the limit is ${CAP}`);
    expect(standIn.callsTo("files.getUploadURLExternal")).toHaveLength(0);
    const recorded = await bot.db.prisma.auditLog.findFirstOrThrow({ where: { action: "audit_exported" } });
    expect(recorded.outcome).toBe("failed");
  });
});
