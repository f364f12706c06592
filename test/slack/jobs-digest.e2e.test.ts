// Through Slack: the audit digest job posts to its channel via the Web API (chat.postMessage) and its
// button opens the audit log filtered to the period; `/vm audit digest` answers the caller alone;
// `/vm jobs` shows admins the job log and is refused (and audited) for anyone else.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { scheduledJobs } from "../../src/jobs/index.js";
import { createJobRunner } from "../../src/jobs/job-runner.js";
import { startHarness, USERS, type BotHarness } from "../support/bot-harness.js";
import { describeEachDialect } from "../support/dialects.js";
import { addVms, blocksText } from "../support/slack-helpers.js";

const DIGEST_CHANNEL = "C0DIGEST01";

describeEachDialect("audit digests and the job log through Slack", (dialect) => {
  let harness: BotHarness;

  beforeAll(async () => {
    harness = await startHarness(dialect, { AUDIT_DIGEST_CHANNEL: DIGEST_CHANNEL });
    harness.standIn.addChannel({ id: DIGEST_CHANNEL, name: "vm-audit" });
  });
  afterEach(async () => {
    await harness.idle();
    expect(harness.standIn.violations).toEqual([]);
    await harness.reset();
  });
  afterAll(async () => harness?.stop());

  async function someHistory() {
    const { workspace, standIn, bot } = harness;
    await addVms(bot, 2, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "start vm-001");
    await workspace.command(USERS.viewer.id, "/vm", "stop vm-002"); // denied
    await harness.idle();
    await standIn.waitFor(async () => (await bot.db.prisma.vm.count({ where: { status: "running" } })) === 1, 5000);
    standIn.reset();
  }

  function jobRunner() {
    const { bot } = harness;
    const jobs = scheduledJobs({ services: bot.services, config: bot.config, slackClient: bot.slack.app.client });
    return createJobRunner({ prisma: bot.db.prisma, jobs, logger: bot.logger, ownerId: "e2e" });
  }

  it("posts the digest to the configured channel, and its button opens the audit log of the period", async () => {
    const { standIn, workspace, bot } = harness;
    await someHistory();
    const tick = new Date(Date.now() + 60_000); // the period ends after the history above
    const runner = jobRunner();
    expect(await runner.runTick("audit-digest", tick)).toBe("ran");
    expect(await runner.runTick("audit-digest", tick)).toBe("skipped");
    runner.close();

    const posted = standIn.conversation(DIGEST_CHANNEL).filter((message) => message.bot_id);
    expect(posted).toHaveLength(1);
    const digest = posted[0]!;
    const text = blocksText(digest.blocks);
    expect(text).toContain("Audit digest");
    expect(text).toContain("Failures and denials");
    expect(text).toMatch(/vm_stop` denied/);
    expect(text).toContain("No locks.");
    expect(text).toContain("No drift found.");
    expect(digest.text).toMatch(/1 denied/);
    expect(standIn.callsTo("chat.postMessage")[0]!.args).toMatchObject({ channel: DIGEST_CHANNEL });
    expect(await bot.db.prisma.auditDigest.findFirstOrThrow()).toMatchObject({ channel: DIGEST_CHANNEL, status: "posted", messageTs: digest.ts });

    await workspace.clickButton(USERS.admin.id, { channel: DIGEST_CHANNEL, ts: digest.ts }, "audit_open_filters");
    const modal = await standIn.waitFor(() => {
      const view = standIn.openViews(USERS.admin.id)[0];
      return view && !blocksText(view.blocks).includes("Loading") ? view : undefined;
    });
    expect(modal.callback_id).toBe("audit_modal");
    expect(blocksText(modal.blocks)).toContain("vm-002");
  });

  it("answers /vm audit digest to the caller only (the platform's digest: global admins; others are refused)", async () => {
    const { standIn, workspace } = harness;
    await someHistory();
    await workspace.command(USERS.viewer.id, "/vm", "audit digest since:24h");
    await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).find((entry) => entry.text?.includes("does not allow audit view platform")));
    await workspace.command(USERS.admin.id, "/vm", "audit digest since:24h");
    const reply = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.admin.id }).find((entry) => entry.text?.includes("Audit digest")));
    expect(blocksText(reply.blocks)).toContain("Actions by user");
    expect(reply.text).toMatch(/2 denied/); // the history's one, and the viewer's refused digest just now
    expect(standIn.callsTo("chat.postMessage")).toEqual([]);

    await workspace.command(USERS.viewer.id, "/vm", "audit digest since:yesterdayish");
    await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).find((entry) => entry.text?.includes("is not a time")));
  });

  it("shows admins the job log with /vm jobs, and refuses others (audited denied)", async () => {
    const { standIn, workspace, bot } = harness;
    const runner = jobRunner();
    await runner.runTick("prune-delivery-keys", new Date("2026-11-30T10:17:00Z"));
    runner.close();

    await workspace.command(USERS.admin.id, "/vm", "jobs");
    const reply = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.admin.id }).find((entry) => entry.text?.startsWith("Scheduled jobs")));
    expect(blocksText(reply.blocks)).toMatch(/prune-delivery-keys\*  last run: :white_check_mark: succeeded/);

    await workspace.command(USERS.operator.id, "/vm", "jobs");
    await standIn.waitFor(() => standIn.ephemerals({ user: USERS.operator.id }).find((entry) => entry.text?.includes("does not allow jobs view")));
    const denied = await bot.db.prisma.auditLog.findMany({ where: { outcome: "denied", user: { slackUserId: USERS.operator.id } } });
    expect(denied.map((entry) => [entry.action, (entry.details as { surface?: string }).surface])).toEqual([["view", "jobs"]]);
  });
});
