// Reliability: forged interaction payloads. Each is correctly signed (as if it came through Slack) but
// no surface the bot drew would have sent it: a viewer clicking Start on a card they never got, a block
// action naming a VM or snapshot, a modal submission with someone else's private_metadata. For every
// action id and view callback of src/slack/ids.ts and every kind of user, the service layer decides:
// a user the policy refuses gets a refusal, nothing happens, and the refusal is audited as `denied`; a
// target that does not exist is answered as unknown and nothing happens.
//
// KINDS is keyed by kind of user so environment-scoped kinds (grants) can be added next to the global
// roles: each kind is a user row plus, later, its grants; who is refused follows from the policy.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { RunningBot } from "../../../src/bot.js";
import type { Role } from "../../../src/services/actor.js";
import { applyInventory } from "../../../src/services/environments/inventory-apply.js";
import { can, PLATFORM, type Permission } from "../../../src/services/policy.js";
import { toActor } from "../../../src/services/user-service.js";
import { ACTION, INPUT, VIEW } from "../../../src/slack/ids.js";
import { encodeAuditState } from "../../../src/slack/views/audit-state.js";
import { encodeListState, pickerBlockId } from "../../../src/slack/views/vm-list-state.js";
import { encodeSnapshotListState } from "../../../src/slack/views/snapshots.js";
import { startHarness, TEAM_ID, USERS, type BotHarness } from "../../support/bot-harness.js";
import { describeEachDialect } from "../../support/dialects.js";
import { postSigned } from "../../support/raw-delivery.js";

interface UserKind {
  slackUserId: string;
  role: Role;
  active: boolean;
}

const KINDS: Record<string, UserKind> = {
  viewer: { slackUserId: "U0FVIEWER1", role: "viewer", active: true },
  operator: { slackUserId: "U0FOPERAT1", role: "operator", active: true },
  admin: { slackUserId: "U0FADMIN01", role: "admin", active: true },
  deactivated: { slackUserId: "U0FDEACT01", role: "operator", active: false },
};

/** What a case names: the VMs, snapshot, environment and run set up for it (ids of real rows). */
interface Targets {
  vm: number;
  otherVm: number;
  snapshot: number;
  runId: number;
}

type Forged =
  | { type: "block_actions"; action: Record<string, unknown>; values?: Record<string, Record<string, unknown>>; view?: boolean }
  | { type: "view_submission"; callbackId: string; metadata: string; values: Record<string, Record<string, unknown>> };

interface ActionCase {
  /** The permission the service asks for (what decides who is refused). */
  permission: Permission;
  /** Asked in the demo environment's scope (where none of the kinds holds a grant), not on the platform. */
  environment?: true;
  forge: (t: Targets, others: OtherUser) => Forged;
}

interface OtherUser {
  slackUserId: string;
  channel: string;
}

const button = (actionId: string, value?: string) => ({ type: "button", action_id: actionId, block_id: `forged_${actionId}`, ...(value === undefined ? {} : { value }), text: { type: "plain_text", text: "x" }, action_ts: "1700000000.000001" });
const list = (sel: number[]) => encodeListState({ q: "", sel });
const listInputs = (t: Targets) => ({ [`vm_row:${t.vm}`]: { [ACTION.vmSelect]: { type: "checkboxes", selected_options: [{ value: String(t.vm) }] } } });
const someoneElsesList = (other: OtherUser) => ({ kind: "message" as const, channel: other.channel, ts: "1700000000.000100", user: other.slackUserId });

/** Every action id and view callback of ids.ts, with what it asks the policy for. */
const CASES: Record<string, ActionCase> = {
  [ACTION.vmSelect]: { permission: "vm_view", forge: (t) => ({ type: "block_actions", action: { type: "checkboxes", action_id: ACTION.vmSelect, block_id: `vm_row:${t.vm}`, selected_options: [{ value: String(t.vm) }] }, values: listInputs(t) }) },
  [ACTION.vmPick]: { permission: "vm_view", forge: (t) => ({ type: "block_actions", action: { type: "multi_external_select", action_id: ACTION.vmPick, block_id: pickerBlockId({ q: "", sel: [] }), selected_options: [{ value: String(t.otherVm) }] } }) },
  [ACTION.bulkStart]: { permission: "vm_start", forge: (t) => ({ type: "block_actions", action: button(ACTION.bulkStart, list([])), values: listInputs(t) }) },
  [ACTION.bulkStop]: { permission: "vm_stop", forge: (t) => ({ type: "block_actions", action: button(ACTION.bulkStop, list([])), values: { [`vm_row:${t.otherVm}`]: { [ACTION.vmSelect]: { type: "checkboxes", selected_options: [{ value: String(t.otherVm) }] } } } }) },
  [ACTION.bulkReboot]: { permission: "reboot", forge: (t) => ({ type: "block_actions", action: button(ACTION.bulkReboot, list([])), values: { [`vm_row:${t.otherVm}`]: { [ACTION.vmSelect]: { type: "checkboxes", selected_options: [{ value: String(t.otherVm) }] } } } }) },
  [ACTION.clearSelection]: { permission: "vm_view", forge: () => ({ type: "block_actions", action: button(ACTION.clearSelection, list([])) }) },
  [ACTION.pagePrevious]: { permission: "vm_view", forge: (t) => ({ type: "block_actions", action: button(ACTION.pagePrevious, encodeListState({ q: "", sel: [], first: t.otherVm })) }) },
  [ACTION.pageNext]: { permission: "vm_view", forge: (t) => ({ type: "block_actions", action: button(ACTION.pageNext, encodeListState({ q: "", sel: [], last: t.vm })) }) },
  [ACTION.refresh]: { permission: "vm_view", forge: () => ({ type: "block_actions", action: button(ACTION.refresh, list([])) }) },
  [ACTION.openFilter]: { permission: "vm_view", forge: () => ({ type: "block_actions", action: button(ACTION.openFilter, list([])) }) },
  [ACTION.shareList]: { permission: "vm_view", forge: () => ({ type: "block_actions", action: button(ACTION.shareList, list([])) }) },
  [ACTION.vmStart]: { permission: "vm_start", forge: (t) => ({ type: "block_actions", action: button(ACTION.vmStart, String(t.vm)) }) },
  [ACTION.vmStop]: { permission: "vm_stop", forge: (t) => ({ type: "block_actions", action: button(ACTION.vmStop, String(t.otherVm)) }) },
  [ACTION.vmReboot]: { permission: "reboot", forge: (t) => ({ type: "block_actions", action: button(ACTION.vmReboot, String(t.otherVm)) }) },
  [ACTION.vmOpenSnapshots]: { permission: "snapshot_view", forge: (t) => ({ type: "block_actions", action: button(ACTION.vmOpenSnapshots, String(t.vm)) }) },
  [ACTION.vmRemove]: { permission: "vm_delete", forge: (t) => ({ type: "block_actions", action: button(ACTION.vmRemove, String(t.vm)) }) },
  [ACTION.vmShare]: { permission: "vm_view", forge: (t) => ({ type: "block_actions", action: button(ACTION.vmShare, String(t.vm)) }) },
  // Opens the name form only (asks vm_view today); the submission asks snapshot_create (VIEW.snapshotCreate).
  [ACTION.snapshotOpenCreate]: { permission: "vm_view", forge: (t) => ({ type: "block_actions", action: button(ACTION.snapshotOpenCreate, String(t.vm)) }) },
  [ACTION.snapshotRestore]: { permission: "snapshot_restore", forge: (t) => ({ type: "block_actions", action: button(ACTION.snapshotRestore, String(t.snapshot)) }) },
  [ACTION.snapshotDelete]: { permission: "snapshot_delete", forge: (t) => ({ type: "block_actions", action: button(ACTION.snapshotDelete, String(t.snapshot)) }) },
  [ACTION.snapshotPrevious]: { permission: "snapshot_view", forge: (t) => ({ type: "block_actions", action: button(ACTION.snapshotPrevious, encodeSnapshotListState({ vm: t.vm, o: 0 })) }) },
  [ACTION.snapshotNext]: { permission: "snapshot_view", forge: (t) => ({ type: "block_actions", action: button(ACTION.snapshotNext, encodeSnapshotListState({ vm: t.vm, o: 10 })) }) },
  [ACTION.snapshotRefresh]: { permission: "snapshot_view", forge: (t) => ({ type: "block_actions", action: button(ACTION.snapshotRefresh, encodeSnapshotListState({ vm: t.vm, o: 0 })) }) },
  // Someone else's audit trail, named in the filters the button carries.
  [ACTION.auditPrevious]: { permission: "audit_view_own", forge: () => ({ type: "block_actions", action: button(ACTION.auditPrevious, encodeAuditState({ f: { users: [USERS.admin.id] } })) }) },
  [ACTION.auditNext]: { permission: "audit_view_own", forge: () => ({ type: "block_actions", action: button(ACTION.auditNext, encodeAuditState({ f: { users: [USERS.admin.id] } })) }) },
  [ACTION.auditExport]: { permission: "audit_export", forge: () => ({ type: "block_actions", action: button(ACTION.auditExport, encodeAuditState({ f: {} })) }) },
  [ACTION.auditOpenFilters]: { permission: "audit_view_own", forge: () => ({ type: "block_actions", action: button(ACTION.auditOpenFilters, encodeAuditState({ f: { users: [USERS.admin.id] } })) }) },
  [ACTION.envRun]: { environment: true, permission: "vm_start", forge: () => ({ type: "block_actions", action: button(ACTION.envRun, JSON.stringify({ action: "start", environment: "demo" })) }) },
  [ACTION.envRetry]: { environment: true, permission: "vm_start", forge: (t) => ({ type: "block_actions", action: button(ACTION.envRetry, String(t.runId)) }) },
  [ACTION.envCancel]: { environment: true, permission: "vm_start", forge: (t) => ({ type: "block_actions", action: button(ACTION.envCancel, String(t.runId)) }) },
  [ACTION.homeListVms]: { permission: "vm_view", forge: () => ({ type: "block_actions", view: true, action: button(ACTION.homeListVms) }) },
  [ACTION.homeOpenAudit]: { permission: "audit_view_own", forge: () => ({ type: "block_actions", view: true, action: button(ACTION.homeOpenAudit) }) },
  [ACTION.homeHelp]: { permission: "vm_view", forge: () => ({ type: "block_actions", view: true, action: button(ACTION.homeHelp) }) },
  [ACTION.homeEnvStart]: { environment: true, permission: "vm_view", forge: () => ({ type: "block_actions", view: true, action: button(ACTION.homeEnvStart, "demo") }) },
  [ACTION.homeEnvStop]: { environment: true, permission: "vm_view", forge: () => ({ type: "block_actions", view: true, action: button(ACTION.homeEnvStop, "demo") }) },
  [ACTION.envRequestAccess]: { environment: true, permission: "access_request", forge: () => ({ type: "block_actions", action: button(ACTION.envRequestAccess, "demo") }) },
  [ACTION.lockQueue]: { environment: true, permission: "lock_acquire", forge: () => ({ type: "block_actions", action: button(ACTION.lockQueue, "demo") }) },
  // Modal submissions whose private_metadata is someone else's (their list, their VM's snapshot modal).
  [VIEW.vmFilter]: {
    permission: "vm_view",
    forge: (_t, other) => ({ type: "view_submission", callbackId: VIEW.vmFilter, metadata: JSON.stringify({ list: someoneElsesList(other), state: { sel: [] } }), values: { [INPUT.filterQuery.block]: { [INPUT.filterQuery.action]: { type: "plain_text_input", value: "vm-0" } } } }),
  },
  [VIEW.snapshotCreate]: {
    permission: "snapshot_create",
    forge: (t, other) => ({ type: "view_submission", callbackId: VIEW.snapshotCreate, metadata: JSON.stringify({ vm: t.vm, list: someoneElsesList(other) }), values: { [INPUT.snapshotName.block]: { [INPUT.snapshotName.action]: { type: "plain_text_input", value: "forged-snap" } } } }),
  },
  [VIEW.audit]: { permission: "audit_view_own", forge: () => ({ type: "view_submission", callbackId: VIEW.audit, metadata: encodeAuditState({ f: {} }), values: { [INPUT.auditUsers.block]: { [INPUT.auditUsers.action]: { type: "multi_users_select", selected_users: [USERS.admin.id] } } } }) },
};

/** Buttons that only open a URL: Slack still sends the click, the bot acknowledges it and does nothing. */
const URL_ONLY = new Set<string>([ACTION.vmConsole]);

/**
 * Ids whose forged use is proven refused by the test named: they act on the reader's own rows only (a
 * notification, their preferences: another's id is answered "not yours") or need a live request or lock first.
 */
const COVERED_ELSEWHERE: Record<string, string> = {
  [ACTION.notificationRead]: "test/services/notifications/notification-delivery.test.ts (only the reader's own)",
  [ACTION.notificationDismiss]: "test/services/notifications/notification-delivery.test.ts (only the reader's own)",
  [ACTION.notificationReadAll]: "test/services/notifications/notification-delivery.test.ts (only the reader's own)",
  [ACTION.notificationPreference]: "test/slack/notifications.e2e.test.ts (the reader's own settings)",
  [VIEW.notificationSettings]: "test/slack/notifications.e2e.test.ts (the reader's own settings)",
  [ACTION.lockOpenBreak]: "test/slack/locks.e2e.test.ts (break needs the environment's admin level)",
  [VIEW.lockBreak]: "test/services/locks/locks.test.ts (break needs the right level and reason)",
  [VIEW.accessDeny]: "test/services/access.test.ts (only that environment's admins and global admins decide)",
  [VIEW.accessRequest]: "test/slack/access.e2e.test.ts (anyone may ask; the decision is the admins')",
};

const REFUSAL = /does not allow|deactivated/;

async function declareDemoEnvironment(bot: RunningBot) {
  const names = ["demo-db", "demo-api"];
  const resourceIds: string[] = [];
  for (const name of names) resourceIds.push((await bot.providers.simulator("simulator").registerInstance({ name, region: "sim-1", state: "stopped" })).resourceId);
  await applyInventory(bot.db.prisma, {
    environments: [{ name: "demo", groups: [{ name: "all", sequence: 0, dependsOn: [], settleSeconds: 0, vms: names.map((name, index) => ({ name, sequence: index, provider: "simulator", region: "sim-1", resourceId: resourceIds[index]!, tags: {}, dependsOn: [] })) }] }],
    vms: [],
  });
}

async function setUp(harness: BotHarness): Promise<Targets> {
  const { bot } = harness;
  for (const kind of Object.values(KINDS)) {
    if (!harness.standIn.user(kind.slackUserId)) harness.standIn.addUser({ id: kind.slackUserId, name: kind.slackUserId.toLowerCase() });
    await bot.db.prisma.user.create({ data: { teamId: TEAM_ID, slackUserId: kind.slackUserId, role: kind.role, active: kind.active, displayName: kind.slackUserId.toLowerCase() } });
  }
  const owner = await bot.db.prisma.user.create({ data: { teamId: TEAM_ID, slackUserId: USERS.admin.id, role: "admin", displayName: "ada" } });
  const ctx = { actor: toActor(owner), source: "slack_command" as const };
  const vms = [];
  for (const [name, state] of [["vm-001", "stopped"], ["vm-002", "running"]] as const) {
    const instance = await bot.providers.simulator("simulator").registerInstance({ name, region: "sim-east-1", state, details: { cpu: 2, memoryGb: 4, diskGb: 20 } });
    vms.push(await bot.db.prisma.vm.create({ data: { name, provider: "simulator", region: "sim-east-1", status: state, providerResourceId: instance.resourceId } }));
  }
  const snapshot = await bot.services.snapshots.createSnapshot(ctx, "vm-001", "nightly");
  // Taken already (the simulated cloud would settle it on a later read).
  await bot.db.prisma.simulatedSnapshot.updateMany({ data: { state: "available", transitionEndsAt: null } });
  await bot.db.prisma.snapshot.update({ where: { id: snapshot.id }, data: { status: "available", completedAt: new Date() } });
  await declareDemoEnvironment(bot);
  const { operationId: runId } = await bot.services.environments.requestEnvironmentAction(ctx, "demo", "start");
  await bot.services.environments.runExecution(runId);
  await bot.services.environments.requestEnvironmentAction(ctx, "demo", "stop").then(({ operationId }) => bot.services.environments.runExecution(operationId));
  await harness.idle();
  return { vm: vms[0]!.id, otherVm: vms[1]!.id, snapshot: snapshot.id, runId };
}

/** Everything an executed action would change: VMs, snapshots, runs, the simulated cloud, environments. */
async function fingerprint(bot: RunningBot): Promise<string> {
  const prisma = bot.db.prisma;
  const [vms, snapshots, operations, instances, simulatedSnapshots] = await Promise.all([
    prisma.vm.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, claimAction: true } }),
    prisma.snapshot.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, name: true } }),
    prisma.operationExecution.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, vms: { select: { status: true } } } }),
    prisma.simulatedInstance.findMany({ orderBy: { resourceId: "asc" }, select: { resourceId: true, state: true, targetState: true } }),
    prisma.simulatedSnapshot.findMany({ orderBy: { snapshotId: "asc" }, select: { snapshotId: true, state: true } }),
  ]);
  return JSON.stringify({ vms, snapshots, operations, instances, simulatedSnapshots });
}

function payload(harness: BotHarness, user: string, forged: Forged): string {
  const { standIn } = harness;
  const common = { team: { id: TEAM_ID, domain: "playground" }, user: { id: user, username: user.toLowerCase(), team_id: TEAM_ID }, api_app_id: standIn.identity.appId, trigger_id: `${Date.now()}.${randomUUID()}` };
  if (forged.type === "view_submission") {
    const view = { id: `VF${randomUUID().slice(0, 8).toUpperCase()}`, hash: randomUUID(), type: "modal", callback_id: forged.callbackId, private_metadata: forged.metadata, team_id: TEAM_ID, app_id: standIn.identity.appId, state: { values: forged.values }, title: { type: "plain_text", text: "x" } };
    return new URLSearchParams({ payload: JSON.stringify({ type: "view_submission", ...common, view }) }).toString();
  }
  const channel = standIn.defaultChannel.id;
  const surface = forged.view
    ? { container: { type: "view", view_id: `VH${randomUUID().slice(0, 8).toUpperCase()}` }, view: { id: "VHOME0001", type: "home", hash: randomUUID(), callback_id: "", private_metadata: "", state: { values: {} } } }
    : { container: { type: "message", message_ts: "1700000000.000200", channel_id: channel, is_ephemeral: true }, channel: { id: channel, name: "general" }, response_url: `${standIn.baseUrl.replace(/\/$/, "")}/response/forged-${randomUUID()}` };
  return new URLSearchParams({ payload: JSON.stringify({ type: "block_actions", ...common, ...surface, state: { values: forged.values ?? {} }, actions: [forged.action] }) }).toString();
}

/** What the user was told since `since` calls: ephemerals, DMs, modals, response_url posts. */
function toldSince(harness: BotHarness, since: number): string {
  return JSON.stringify(harness.standIn.calls.slice(since).map((call) => call.args));
}

// One bot and one set-up per database: a refused payload changes nothing (each case checks that), so the
// cases share it.
describeEachDialect("Reliability: forged payloads from every kind of user against every action", (dialect) => {
  const t = { harness: undefined as unknown as BotHarness };
  let targets: Targets;
  beforeAll(async () => {
    t.harness = await startHarness(dialect);
    targets = await setUp(t.harness);
  }, 60_000);
  afterEach(async () => {
    await t.harness.idle();
    expect(t.harness.standIn.violations).toEqual([]);
  });
  afterAll(async () => t.harness?.stop());

  it("the table covers every action id and view callback", () => {
    const ids = [...Object.values(ACTION), ...Object.values(VIEW)].filter((id) => !URL_ONLY.has(id) && !(id in COVERED_ELSEWHERE));
    expect(Object.keys(CASES).sort()).toEqual([...new Set(ids)].sort());
  });

  for (const [actionId, spec] of Object.entries(CASES)) {
    const scope = spec.environment ? { environmentId: Number.MAX_SAFE_INTEGER } : PLATFORM;
    const refused = Object.entries(KINDS).filter(([, kind]) => !can({ role: kind.role, active: kind.active, envAdmin: false, environments: {} }, spec.permission, scope));
    if (!refused.length) continue; // every kind may: nothing to forge (the ordinary e2e tests cover it)

    it(`${actionId}: ${refused.map(([name]) => name).join(", ")} refused, nothing done, audited as denied`, async () => {
      const harness = t.harness;
      const { bot, botUrl } = harness;
      const other = { slackUserId: USERS.operator.id, channel: harness.standIn.dmChannel(USERS.operator.id).id };
      for (const [kindName, kind] of refused) {
        const before = await fingerprint(bot);
        const lastAudit = (await bot.db.prisma.auditLog.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;
        const callsBefore = harness.standIn.calls.length;

        const reply = await postSigned(botUrl, payload(harness, kind.slackUserId, spec.forge(targets, other)));
        expect(reply.status, `${actionId} as ${kindName}`).toBe(200);
        await harness.idle();

        expect(await fingerprint(bot), `${actionId} as ${kindName}: nothing changed`).toBe(before);
        const audit = await bot.db.prisma.auditLog.findMany({ where: { id: { gt: lastAudit } }, include: { user: true } });
        // A first click opens a session (`login`); anything else recorded is a denial.
        expect(audit.filter((entry) => entry.outcome !== "denied" && entry.action !== "login"), `${actionId} as ${kindName}: only denials audited`).toEqual([]);
        expect(audit.filter((entry) => entry.user?.slackUserId === kind.slackUserId).length, `${actionId} as ${kindName}: the denial is audited`).toBeGreaterThan(0);
        const told = toldSince(harness, callsBefore);
        expect(told, `${actionId} as ${kindName}: told why`).toMatch(REFUSAL);
        // Nothing reached a channel or someone else's message.
        expect(harness.standIn.calls.slice(callsBefore).filter((call) => ["chat.postMessage", "chat.update"].includes(call.method) && !String(call.args.channel).startsWith("D")), `${actionId} as ${kindName}: nothing posted`).toEqual([]);
      }
    });
  }

  it("a target that does not exist is answered as unknown, and nothing happens", async () => {
    const harness = t.harness;
    const { bot, botUrl } = harness;
    const ghost: Targets = { vm: 987_654, otherVm: 987_655, snapshot: 987_656, runId: 987_657 };
    const other = { slackUserId: USERS.operator.id, channel: harness.standIn.dmChannel(USERS.operator.id).id };
    const admin = KINDS.admin!.slackUserId;
    for (const actionId of [ACTION.vmStart, ACTION.vmStop, ACTION.vmReboot, ACTION.vmRemove, ACTION.vmOpenSnapshots, ACTION.snapshotRestore, ACTION.snapshotDelete, ACTION.snapshotOpenCreate, ACTION.envRetry, ACTION.envCancel, ACTION.bulkStart, VIEW.snapshotCreate]) {
      const before = await fingerprint(bot);
      const callsBefore = harness.standIn.calls.length;
      const reply = await postSigned(botUrl, payload(harness, admin, CASES[actionId]!.forge(ghost, other)));
      expect(reply.status).toBe(200);
      await harness.idle();
      expect(await fingerprint(bot), `${actionId}: nothing changed`).toBe(before);
      expect(toldSince(harness, callsBefore).slice(0, 3000), `${actionId}: answered as unknown`).toMatch(/no vm|not found|unknown|no snapshot|no run|doesn't exist|does not exist|no longer|isn't|out of date/i);
    }
    expect(await bot.db.prisma.auditLog.count({ where: { outcome: { in: ["initiated", "succeeded"] }, action: { not: "login" }, user: { slackUserId: admin } } })).toBe(0);
  });

  // Last: the snapshot case really takes a snapshot (the user may), which the cases above must not see.
  it("someone else's private_metadata in an allowed submission: nothing of theirs is redrawn or sent to them", async () => {
    const harness = t.harness;
    const { botUrl, standIn } = harness;
    const other = { slackUserId: USERS.operator.id, channel: standIn.dmChannel(USERS.operator.id).id };
    for (const [actionId, kind] of [[VIEW.vmFilter, KINDS.viewer!], [VIEW.snapshotCreate, KINDS.operator!]] as const) {
      const callsBefore = standIn.calls.length;
      expect((await postSigned(botUrl, payload(harness, kind.slackUserId, CASES[actionId]!.forge(targets, other)))).status).toBe(200);
      await harness.idle();
      const calls = standIn.calls.slice(callsBefore);
      const towardsOther = calls.filter((call) => call.args.channel === other.channel || call.args.user === other.slackUserId || call.args.users === other.slackUserId);
      expect(towardsOther, `${actionId}: nothing to ${other.slackUserId}`).toEqual([]);
      // The submitter gets the answer themselves (in their DM with the bot: the modal had no list of theirs).
      const ownDm = standIn.dmChannel(kind.slackUserId).id;
      expect(calls.some((call) => call.method === "chat.postMessage" && call.args.channel === ownDm), `${actionId}: answered to ${kind.slackUserId}`).toBe(true);
    }
  });
});
