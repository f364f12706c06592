// Environments through Slack as a user meets them: signed requests into Bolt's HTTP receiver, the bot's
// Web API calls answered (and spec-checked) by the stand-in. /vm env start demo with live progress to the
// end, then stop in reverse order; the list, the tree, the plan; Retry failed after a refused start.
import { expect, it } from "vitest";
import type { RunningBot } from "../../src/bot.js";
import { applyInventory } from "../../src/services/environments/inventory-apply.js";
import type { InventorySpec } from "../../src/services/environments/model.js";
import { TEAM_ID, USERS } from "../support/bot-harness.js";
import { describeWithBot } from "../support/describe-with-bot.js";
import { blocksText, botMessages, latestBotMessage, pollUntil } from "../support/slack-helpers.js";

async function declareDemo(bot: RunningBot, running: string[] = []) {
  const vms = [
    { name: "demo-db", group: "database", dependsOn: [] as string[] },
    { name: "demo-queue", group: "database", dependsOn: ["demo-db"] },
    { name: "demo-api", group: "app", dependsOn: [] },
    { name: "demo-web", group: "web", dependsOn: [] },
  ];
  const ids = new Map<string, string>();
  for (const vm of vms) {
    const instance = await bot.providers.simulator("simulator").registerInstance({ name: vm.name, region: "sim-1", state: running.includes(vm.name) ? "running" : "stopped" });
    ids.set(vm.name, instance.resourceId);
  }
  const groups = ["database", "app", "web"];
  const spec: InventorySpec = {
    environments: [
      {
        name: "demo",
        description: "Sales demos",
        groups: groups.map((group, index) => ({
          name: group,
          sequence: index,
          dependsOn: index ? [groups[index - 1]!] : [],
          settleSeconds: 0,
          vms: vms
            .filter((vm) => vm.group === group)
            .map((vm, position) => ({ name: vm.name, sequence: position, provider: "simulator", region: "sim-1", resourceId: ids.get(vm.name)!, tags: {}, dependsOn: vm.dependsOn })),
        })),
      },
    ],
    vms: [],
  };
  await applyInventory(bot.db.prisma, spec);
  // The operator works in demo as a `user`, the viewer looks at it as a `viewer` (the matrix asks per environment).
  const environment = await bot.db.prisma.environment.findUniqueOrThrow({ where: { name: "demo" } });
  for (const [person, role, level] of [[USERS.operator, "operator", "user"], [USERS.viewer, "viewer", "viewer"]] as const) {
    const user = await bot.db.prisma.user.upsert({ where: { teamId_slackUserId: { teamId: TEAM_ID, slackUserId: person.id } }, update: {}, create: { teamId: TEAM_ID, slackUserId: person.id, role } });
    await bot.db.prisma.environmentAccess.upsert({ where: { environmentId_userId: { environmentId: environment.id, userId: user.id } }, update: { level }, create: { environmentId: environment.id, userId: user.id, level } });
  }
  await bot.db.prisma.vm.updateMany({ data: { status: "stopped" } });
  if (running.length) await bot.db.prisma.vm.updateMany({ where: { name: { in: running } }, data: { status: "running" } });
}

describeWithBot("environments end to end", (t) => {
  it("/vm env start demo: plan, confirm, live progress to the end; then stop in reverse order", async () => {
    const { workspace, standIn, bot } = t.harness;
    await declareDemo(bot);

    for (const action of ["start", "stop"] as const) {
      await workspace.command(USERS.operator.id, "/vm", `env ${action} demo`);
      const confirm = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.operator.id }).find((message) => blocksText(message.blocks).includes(`Plan: ${action} demo`)));
      expect(blocksText(confirm.blocks)).toContain("Critical path");
      expect(confirm.user).toBe(USERS.operator.id); // the plan is shown to the caller only
      await workspace.clickButton(USERS.operator.id, { channel: confirm.channel, ts: confirm.ts }, "env_run");
      const verb = action === "start" ? "Started" : "Stopped";
      const done = await standIn.waitFor(() => {
        const message = latestBotMessage(standIn);
        return message && blocksText(message.blocks).includes(`${verb} demo: 4/4 done`) ? message : undefined;
      }, 15_000);
      expect(blocksText(done.blocks)).toContain(`Requested by <@${USERS.operator.id}>`);
      await t.harness.idle();
      const run = await bot.db.prisma.operationExecution.findFirstOrThrow({ where: { kind: `environment_${action}` }, include: { vms: { include: { vm: true } } } });
      const calledAt = Object.fromEntries(run.vms.map((row) => [row.vm.name, row.providerCalledAt!.getTime()]));
      const readyAt = Object.fromEntries(run.vms.map((row) => [row.vm.name, row.readyAt!.getTime()]));
      if (action === "start") {
        expect(calledAt["demo-queue"]).toBeGreaterThanOrEqual(readyAt["demo-db"]!);
        expect(calledAt["demo-api"]).toBeGreaterThanOrEqual(Math.max(readyAt["demo-db"]!, readyAt["demo-queue"]!));
        expect(calledAt["demo-web"]).toBeGreaterThanOrEqual(readyAt["demo-api"]!);
      } else {
        expect(calledAt["demo-api"]).toBeGreaterThanOrEqual(readyAt["demo-web"]!);
        expect(calledAt["demo-queue"]).toBeGreaterThanOrEqual(readyAt["demo-api"]!);
        expect(calledAt["demo-db"]).toBeGreaterThanOrEqual(Math.max(readyAt["demo-queue"]!, readyAt["demo-api"]!));
      }
      expect(await bot.db.prisma.vm.count({ where: { status: action === "start" ? "running" : "stopped" } })).toBe(4);
    }
    const audit = await bot.db.prisma.auditLog.findMany({ where: { action: { in: ["environment_start", "environment_stop"] } }, orderBy: { id: "asc" } });
    expect(audit.map((row) => `${row.action} ${row.outcome}`)).toEqual(["environment_start initiated", "environment_start succeeded", "environment_stop initiated", "environment_stop succeeded"]);
    expect(new Set(audit.map((row) => row.environmentId)).size).toBe(1);
    expect(audit[0]!.environmentId).not.toBeNull();
  });

  it("lists environments, shows one as a tree, and shows the plan, to the caller only", async () => {
    const { workspace, standIn, bot } = t.harness;
    await declareDemo(bot, ["demo-db"]);
    await workspace.command(USERS.viewer.id, "/vm", "env list");
    const list = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).find((message) => blocksText(message.blocks).includes("Environments")));
    expect(blocksText(list.blocks)).toContain("*demo*  1/4 running");
    await workspace.command(USERS.viewer.id, "/vm", "env show demo");
    const tree = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).find((message) => blocksText(message.blocks).includes("Environment demo")));
    expect(blocksText(tree.blocks)).toMatch(/\*1\. database\*\n.*`demo-db` running\n\s+└ .*`demo-queue` stopped/);
    expect(blocksText(tree.blocks)).toContain("*2. app* · after database");
    await workspace.command(USERS.viewer.id, "/vm", "env start demo");
    const plan = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).find((message) => blocksText(message.blocks).includes("Plan: start demo")));
    expect(JSON.stringify(plan.blocks)).not.toContain("env_run"); // a viewer sees the plan, not the button
    expect(blocksText(plan.blocks)).toContain("`demo-db` (database) after nothing · already running: verify only");
    expect(latestBotMessage(standIn)).toBeUndefined();
  });

  it("a refused start skips the dependents; Retry failed runs only those and completes", async () => {
    const { workspace, standIn, bot } = t.harness;
    await declareDemo(bot);
    const api = await bot.db.prisma.vm.findUniqueOrThrow({ where: { name: "demo-api" } });
    await bot.providers.simulator("simulator").injectFault(api.providerResourceId, "start", "InsufficientInstanceCapacity: no capacity in sim-1", { once: true });
    await workspace.command(USERS.operator.id, "/vm", "env start demo");
    const confirm = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.operator.id }).at(-1));
    await workspace.clickButton(USERS.operator.id, { channel: confirm.channel, ts: confirm.ts }, "env_run");
    const failed = await standIn.waitFor(() => {
      const message = latestBotMessage(standIn);
      return message && blocksText(message.blocks).includes("partly failed") ? message : undefined;
    }, 15_000);
    const text = blocksText(failed.blocks);
    expect(text).toContain("`demo-api` failed");
    expect(text).toContain("`demo-web` skipped: because demo-api failed");
    await t.harness.idle();
    await workspace.clickButton(USERS.operator.id, { channel: failed.channel, ts: failed.ts }, "env_retry");
    await standIn.waitFor(() => blocksText(standIn.message(failed.channel, failed.ts)?.blocks).includes("Started demo: 4/4 done") || undefined, 15_000);
    expect(await bot.db.prisma.vm.count({ where: { status: "running" } })).toBe(4);
  });

  it("/vm start of one VM whose dependency is stopped is refused with the reason, and nothing starts", async () => {
    const { workspace, standIn, bot } = t.harness;
    await declareDemo(bot);
    await workspace.command(USERS.operator.id, "/vm", "start demo-api");
    const expected = "demo-api depends on demo-db (stopped): start the environment, or start demo-db first";
    const said = await standIn.waitFor(() => {
      const everything = [...botMessages(standIn), ...standIn.ephemerals({ user: USERS.operator.id })];
      return everything.find((message) => blocksText(message.blocks).includes(expected) || message.text?.includes(expected));
    }, 10_000);
    expect(said).toBeDefined();
    await t.harness.idle();
    expect((await bot.db.prisma.vm.findUniqueOrThrow({ where: { name: "demo-api" } })).status).toBe("stopped");
  });

  it("/vm env stop demo force <reason>: an admin stops every VM at once and the environment's admins get a DM; an operator is refused", async () => {
    const { workspace, standIn, bot } = t.harness;
    const all = ["demo-db", "demo-queue", "demo-api", "demo-web"];
    await declareDemo(bot, all);
    await workspace.command(USERS.viewer.id, "/vm", "env list"); // the viewer becomes a known user
    const viewer = await pollUntil(() => bot.db.prisma.user.findFirst({ where: { slackUserId: USERS.viewer.id } }).then((user) => user ?? undefined));
    const environment = await bot.db.prisma.environment.findUniqueOrThrow({ where: { name: "demo" } });
    // The viewer is made the environment's admin: the admin level and the env_admin flag.
    await bot.db.prisma.user.update({ where: { id: viewer.id }, data: { envAdmin: true } });
    await bot.db.prisma.environmentAccess.update({ where: { environmentId_userId: { environmentId: environment.id, userId: viewer.id } }, data: { level: "admin" } });

    await workspace.command(USERS.operator.id, "/vm", "env stop demo force operators cannot do this");
    await pollUntil(() => bot.db.prisma.auditLog.findFirst({ where: { action: "environment_stop", outcome: "denied" } }).then((row) => row ?? undefined));

    await workspace.command(USERS.admin.id, "/vm", "env stop demo force incident 42: stop everything now");
    const done = await standIn.waitFor(() => {
      const message = latestBotMessage(standIn);
      return message && blocksText(message.blocks).includes("Stopped demo: 4/4 done") ? message : undefined;
    }, 15_000);
    expect(blocksText(done.blocks)).toContain(`Requested by <@${USERS.admin.id}>`);
    // Told through the notification outbox, as a DM (the environment's admin; not the operator).
    const dm = await standIn.waitFor(() => standIn.conversation(standIn.dmChannel(USERS.viewer.id).id).find((message) => message.text?.includes("forced a stop of demo")));
    expect(blocksText(dm.blocks)).toContain("*Reason:* incident 42: stop everything now");
    // Marked sent right after Slack took the DM (the DM may show a moment before the mark commits).
    await standIn.waitFor(async () => (await bot.db.prisma.notification.count({ where: { kind: "admin_force_action", user: { slackUserId: USERS.viewer.id }, status: "sent" } })) === 1);
    expect(standIn.conversation(standIn.dmChannel(USERS.operator.id).id).some((message) => message.text?.includes("forced a stop"))).toBe(false);
    await t.harness.idle();
    const run = await bot.db.prisma.operationExecution.findFirstOrThrow({ where: { kind: "environment_stop" } });
    expect(JSON.stringify(run.plan)).not.toMatch(/"after":\["/); // nothing waited for anything
    const initiated = await bot.db.prisma.auditLog.findFirstOrThrow({ where: { action: "environment_stop", outcome: "initiated" } });
    expect(JSON.parse(JSON.stringify(initiated.details))).toMatchObject({ force: "incident 42: stop everything now" });
    expect(await bot.db.prisma.operationExecution.count({ where: { kind: "environment_stop" } })).toBe(1);
  });

  it("App Home shows the environment with running/total and the last run; its Start opens the plan in the DM and runs", async () => {
    const { workspace, standIn, bot } = t.harness;
    await declareDemo(bot, ["demo-db"]);
    const user = USERS.operator.id;
    await workspace.openHome(user);
    const home = await standIn.waitFor(() => standIn.homeView(user));
    expect(blocksText(home.blocks)).toContain("*demo*  1/4 running");
    await workspace.clickButton(user, { viewId: home.id }, "home_env_start");
    const dm = standIn.dmChannel(user).id;
    const plan = await standIn.waitFor(() => botMessages(standIn, dm).find((message) => blocksText(message.blocks).includes("Plan: start demo")));
    await workspace.clickButton(user, { channel: dm, ts: plan.ts }, "env_run");
    await standIn.waitFor(() => botMessages(standIn, dm).find((message) => blocksText(message.blocks).includes("Started demo: 4/4 done")), 15_000);
    await t.harness.idle();
    expect(await bot.db.prisma.vm.count({ where: { status: "running" } })).toBe(4);
    await workspace.openHome(user);
    await standIn.waitFor(() => (blocksText(standIn.homeView(user)?.blocks).includes("*demo*  4/4 running  ·  last start: succeeded") ? true : undefined));
  });

  it("/vm env list names who holds an environment's lock", async () => {
    const { workspace, standIn, bot } = t.harness;
    await declareDemo(bot);
    const holder = await bot.db.prisma.user.create({ data: { teamId: "T0TEST0001", slackUserId: "U0HOLDER01", role: "operator", displayName: "hanna" } });
    const environment = await bot.db.prisma.environment.findUniqueOrThrow({ where: { name: "demo" } });
    await bot.db.prisma.environmentLock.create({ data: { environmentId: environment.id, holderId: holder.id, reason: "release testing" } });
    await workspace.command(USERS.viewer.id, "/vm", "env list");
    const list = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).find((message) => blocksText(message.blocks).includes("Environments")));
    expect(blocksText(list.blocks)).toContain("*demo*  0/4 running · :lock: hanna");
  });
});
