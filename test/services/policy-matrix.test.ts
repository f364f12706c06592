// The seed's permission matrix, row by row: (a) the policy against a table written out here by hand, for
// every kind of user in every scope; (b) on both databases, the real service behind each row called by each
// kind of user on a VM or environment in environment "alpha": allowed calls succeed, refused ones throw
// ForbiddenError and leave a `denied` audit entry naming the actor.
import { describe, expect, it } from "vitest";
import type { Actor, EnvironmentLevel, RequestContext, Role } from "../../src/services/actor.js";
import { DeactivatedActorError, ForbiddenError, NotFoundError, ValidationError } from "../../src/services/errors.js";
import { PERMISSIONS, PLATFORM, can, type Permission, type Scope } from "../../src/services/policy.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture, type Fixture } from "../support/fixtures.js";

/** The kinds of user the matrix is walked with. "Here" is environment alpha (id 1), "other" is beta (id 2). */
const KINDS = ["user", "adminHere", "adminOther", "globalAdmin", "viewer", "adminNoFlag", "deactivated"] as const;
type Kind = (typeof KINDS)[number];

const HERE = 1;
const OTHER = 2;

interface KindSpec {
  describe: string;
  role: Role;
  envAdmin?: boolean;
  active?: boolean;
  grants: Record<number, EnvironmentLevel>;
}

const KIND_SPECS: Record<Kind, KindSpec> = {
  user: { describe: "a normal user (global operator, `user` access here)", role: "operator", grants: { [HERE]: "user" } },
  adminHere: { describe: "this environment's admin (env_admin flag, `admin` access here)", role: "operator", envAdmin: true, grants: { [HERE]: "admin" } },
  adminOther: { describe: "another environment's admin (env_admin flag, `admin` access there)", role: "operator", envAdmin: true, grants: { [OTHER]: "admin" } },
  globalAdmin: { describe: "a global admin (no grants)", role: "admin", grants: {} },
  viewer: { describe: "a viewer (global viewer, `viewer` access here)", role: "viewer", grants: { [HERE]: "viewer" } },
  adminNoFlag: { describe: "an `admin` grant here without the env_admin flag (acts as user)", role: "operator", grants: { [HERE]: "admin" } },
  deactivated: { describe: "a deactivated normal user", role: "operator", active: false, grants: { [HERE]: "user" } },
};

/**
 * Who may, written out by hand from the seed's matrix (not derived from POLICY). One character per kind, in
 * the order of KINDS: user, adminHere, adminOther, globalAdmin, viewer, adminNoFlag, deactivated.
 * `Y` may, `.` may not. `platform`: VMs in no environment and settings; `here`: alpha; `other`: beta.
 */
const EXPECTED: Record<Permission, { platform: string; here: string; other: string }> = {
  vm_view: /*               */ { platform: "YYYYYY.", here: "YY.YYY.", other: "..YY..." },
  access_request: /*        */ { platform: "YYYYYY.", here: "YYYYYY.", other: "YYYYYY." },
  access_grant: /*          */ { platform: "...Y...", here: ".Y.Y...", other: "..YY..." },
  env_admin_promote: /*     */ { platform: "...Y...", here: "...Y...", other: "...Y..." },
  vm_start: /*              */ { platform: "YYYY.Y.", here: "YY.Y.Y.", other: "..YY..." },
  vm_stop: /*               */ { platform: "YYYY.Y.", here: "YY.Y.Y.", other: "..YY..." },
  reboot: /*                */ { platform: "YYYY.Y.", here: "YY.Y.Y.", other: "..YY..." },
  dependency_override: /*   */ { platform: "...Y...", here: ".Y.Y...", other: "..YY..." },
  lock_acquire: /*          */ { platform: "YYYY.Y.", here: "YY.Y.Y.", other: "..YY..." },
  lock_break: /*            */ { platform: "...Y...", here: ".Y.Y...", other: "..YY..." },
  snapshot_view: /*         */ { platform: "YYYYYY.", here: "YY.YYY.", other: "..YY..." },
  snapshot_create: /*       */ { platform: "YYYY.Y.", here: "YY.Y.Y.", other: "..YY..." },
  snapshot_restore: /*      */ { platform: "YYYY.Y.", here: "YY.Y.Y.", other: "..YY..." },
  snapshot_delete: /*       */ { platform: "YYYY.Y.", here: "YY.Y.Y.", other: "..YY..." },
  audit_view_own: /*        */ { platform: "YYYYYY.", here: "YYYYYY.", other: "YYYYYY." },
  audit_view_environment: /**/ { platform: "...Y...", here: ".Y.Y...", other: "..YY..." },
  audit_view_platform: /*   */ { platform: "...Y...", here: "...Y...", other: "...Y..." },
  audit_export: /*          */ { platform: "...Y...", here: ".Y.Y...", other: "..YY..." },
  environment_settings: /*  */ { platform: "...Y...", here: ".Y.Y...", other: "..YY..." },
  vm_register: /*           */ { platform: "...Y...", here: "...Y...", other: "...Y..." },
  vm_delete: /*             */ { platform: "...Y...", here: "...Y...", other: "...Y..." },
  group_manage: /*          */ { platform: "...Y...", here: ".Y.Y...", other: "..YY..." },
  role_change: /*           */ { platform: "...Y...", here: "...Y...", other: "...Y..." },
  jobs_view: /*             */ { platform: "...Y...", here: "...Y...", other: "...Y..." },
};

type Column = keyof (typeof EXPECTED)[Permission];
const SCOPES: Record<Column, Scope> = { platform: PLATFORM, here: { environmentId: HERE }, other: { environmentId: OTHER } };

function expectedFor(permission: Permission, column: Column, kind: Kind): boolean {
  const flag = EXPECTED[permission][column][KINDS.indexOf(kind)];
  if (flag !== "Y" && flag !== ".") throw new Error(`EXPECTED.${permission}.${column} has no entry for ${kind}`);
  return flag === "Y";
}

function pureActor(kind: Kind): Actor {
  const spec = KIND_SPECS[kind];
  return { userId: 1, teamId: "T0", slackUserId: "U0", displayName: null, role: spec.role, active: spec.active ?? true, envAdmin: spec.envAdmin ?? false, environments: spec.grants };
}

describe("the permission matrix (pure)", () => {
  it("has an expected row for every permission of the policy, and no other", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort());
  });

  for (const permission of PERMISSIONS) {
    it(`${permission}: every kind of user, on the platform, in their environment and in another`, () => {
      const got: Record<Column, string> = { platform: "", here: "", other: "" };
      for (const column of Object.keys(SCOPES) as Column[]) {
        got[column] = KINDS.map((kind) => (can(pureActor(kind), permission, SCOPES[column]) ? "Y" : ".")).join("");
      }
      expect(got).toEqual(EXPECTED[permission]);
    });
  }
});

/** A row's real service call: where it acts, what a refusal is recorded as, and the call itself. */
interface MatrixCall {
  /** Which column of EXPECTED decides: the call acts in alpha, or on the platform. */
  column: "here" | "platform";
  /** The audit action a refusal is recorded under. */
  deniedAs: string;
  /**
   * Reads of one VM answer a refused reader who may not see it like an unknown VM (NotFoundError), so
   * existence does not leak; the denial is still audited. A deactivated user is always told so.
   */
  hiddenWhenRefused?: boolean;
  run(ctx: RequestContext, setup: MatrixSetup): Promise<unknown>;
}

interface MatrixSetup {
  f: Fixture;
  admin: Actor;
}

/** Snapshots settle after the simulator's latency: poll the service until this one is available. */
async function availableSnapshot({ f, admin }: MatrixSetup): Promise<number> {
  const snapshot = await f.services.snapshots.createSnapshot(f.as(admin), "alpha-stopped", "setup-snap");
  for (let attempt = 0; attempt < 500; attempt++) {
    await f.services.snapshots.refreshTransitional(snapshot.vmId);
    const row = await f.db.prisma.snapshot.findUniqueOrThrow({ where: { id: snapshot.id } });
    if (row.status === "available") return snapshot.id;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("snapshot never became available");
}

const DAY_AGO = () => new Date(Date.now() - 24 * 3600_000);

/**
 * The rows with a service call today. Rows without one yet are listed in NOT_YET_CALLED with the file
 * that covers them; the access and lock work adds its rows here.
 */
const calls: Partial<Record<Permission, MatrixCall>> = {
  vm_view: { column: "here", deniedAs: "view", run: (ctx, { f }) => f.services.environments.showEnvironment(ctx, "alpha") },
  vm_start: { column: "here", deniedAs: "vm_start", run: (ctx, { f }) => f.services.vmActions.requestVmAction(ctx, "start", { names: ["alpha-stopped"] }) },
  vm_stop: { column: "here", deniedAs: "environment_stop", run: (ctx, { f }) => f.services.environments.requestEnvironmentAction(ctx, "alpha", "stop") },
  reboot: { column: "here", deniedAs: "reboot", run: (ctx, { f }) => f.services.vmActions.requestVmAction(ctx, "reboot", { names: ["alpha-running"] }) },
  dependency_override: {
    column: "here",
    deniedAs: "vm_start",
    run: (ctx, { f }) => f.services.vmActions.requestVmAction(ctx, "start", { names: ["alpha-stopped"] }, { override: { reason: "matrix: dependencies overridden" } }),
  },
  snapshot_view: { column: "here", deniedAs: "view", hiddenWhenRefused: true, run: (ctx, { f }) => f.services.snapshots.listSnapshots(ctx, "alpha-stopped") },
  snapshot_create: { column: "here", deniedAs: "snapshot_created", run: (ctx, { f }) => f.services.snapshots.createSnapshot(ctx, "alpha-stopped", "made-by-test") },
  snapshot_restore: { column: "here", deniedAs: "snapshot_restored", run: async (ctx, setup) => setup.f.services.snapshots.restoreSnapshot(ctx, await availableSnapshot(setup)) },
  snapshot_delete: { column: "here", deniedAs: "snapshot_deleted", run: async (ctx, setup) => setup.f.services.snapshots.deleteSnapshot(ctx, await availableSnapshot(setup)) },
  audit_view_own: { column: "platform", deniedAs: "view", run: (ctx, { f }) => f.services.audit.query(ctx, {}) },
  audit_view_environment: { column: "here", deniedAs: "view", run: (ctx, { f }) => f.services.digests.digestFor(ctx, { since: DAY_AGO(), environment: "alpha" }) },
  audit_view_platform: { column: "platform", deniedAs: "view", run: (ctx, { f }) => f.services.digests.digestFor(ctx, { since: DAY_AGO() }) },
  audit_export: { column: "here", deniedAs: "audit_exported", run: (ctx, { f }) => f.services.audit.exportCsv(ctx, { environment: "alpha" }, async (file) => file.open().toArray()) },
  vm_delete: { column: "platform", deniedAs: "delete", run: (ctx, { f }) => f.services.vms.removeVm(ctx, { name: "alpha-running" }) },
  role_change: { column: "platform", deniedAs: "role_changed", run: (ctx, { f }) => f.services.users.changeRole(ctx, { slackUserId: "U0SOMEONE" }, "operator") },
  jobs_view: { column: "platform", deniedAs: "view", run: (ctx, { f }) => f.services.jobs.recentRuns(ctx) },
  access_request: {
    column: "here",
    deniedAs: "access_requested",
    // Past the policy, someone who holds that access already (a global admin: all of it) is told so instead.
    run: (ctx, { f }) =>
      f.services.access.requestAccess(ctx, { environment: "alpha", level: "viewer", durationHours: null, justification: "matrix: asking for a look" }).catch((error: unknown) => {
        if (error instanceof ValidationError && /already (have|hold)/.test(error.message)) return undefined;
        throw error;
      }),
  },
  access_grant: { column: "here", deniedAs: "access_granted", run: (ctx, { f }) => f.services.access.grant(ctx, { target: { slackUserId: "U0GRANTEE" }, environment: "alpha", level: "viewer", durationHours: null }) },
  env_admin_promote: { column: "platform", deniedAs: "env_admin_changed", run: (ctx, { f }) => f.services.access.setEnvAdmin(ctx, { slackUserId: "U0PROMOTED" }, true) },
  lock_acquire: { column: "here", deniedAs: "lock_acquired", run: (ctx, { f }) => f.services.locks.acquire(ctx, "alpha", { reason: "matrix" }) },
  lock_break: {
    column: "here",
    deniedAs: "lock_broken",
    run: async (ctx, { f, admin }) => {
      await f.services.locks.acquire(f.as(admin), "alpha", { reason: "held by the set-up admin" });
      return f.services.locks.breakLock(ctx, "alpha", "matrix: breaking the set-up lock");
    },
  },
};

/** Rows whose service is not built in this file's scope yet: the pure table above covers their policy. */
const NOT_YET_CALLED: Partial<Record<Permission, string>> = {
  environment_settings: "asked by the drift buttons Adopt / Ignore (test/services/drift.test.ts); environments are otherwise inventory-as-code",
  vm_register: "no service registers VMs yet (inventory apply/discover CLIs run as the operator)",
  group_manage: "no service manages groups yet (inventory-as-code only)",
};

it("every permission has a service call or says where it is covered", () => {
  const accounted = [...Object.keys(calls), ...Object.keys(NOT_YET_CALLED)].sort();
  expect(accounted).toEqual([...PERMISSIONS].sort());
});

describeEachDatabase("the permission matrix on the real services", (t) => {
  async function setUp(kind: Kind): Promise<{ setup: MatrixSetup; actor: Actor }> {
    const f = buildFixture(t.db, { latencyMs: 5 });
    const alpha = await f.addEnvironment("alpha");
    const beta = await f.addEnvironment("beta");
    expect([alpha.id, beta.id]).toEqual([HERE, OTHER]); // the ids the pure table's actors name
    await f.addVm("alpha-running", { status: "running", environment: "alpha" });
    await f.addVm("alpha-stopped", { status: "stopped", environment: "alpha" });
    await f.addVm("beta-running", { status: "running", environment: "beta" });
    const admin = await f.addUser("U0SETUPADMIN", "admin");
    const spec = KIND_SPECS[kind];
    let actor = await f.addUser(`U0${kind.toUpperCase()}`, spec.role);
    for (const [environmentId, level] of Object.entries(spec.grants)) actor = await f.grant(actor, { id: Number(environmentId) }, level, { envAdmin: spec.envAdmin ?? false });
    if (spec.active === false) {
      await t.db.prisma.user.update({ where: { id: actor.userId }, data: { active: false } });
      actor = await f.refresh(actor);
    }
    return { setup: { f, admin }, actor };
  }

  for (const [permission, call] of Object.entries(calls) as [Permission, MatrixCall][]) {
    for (const kind of KINDS) {
      const allowed = expectedFor(permission, call.column, kind);
      it(`${permission}: ${KIND_SPECS[kind].describe} ${allowed ? "may" : "may not"}`, async () => {
        const { setup, actor } = await setUp(kind);
        const attempt = call.run(setup.f.as(actor), setup);
        const denied = () => t.db.prisma.auditLog.findMany({ where: { userId: actor.userId, outcome: "denied" } });
        if (allowed) {
          await attempt;
          expect(await denied()).toEqual([]);
          return;
        }
        const error = await attempt.then(
          () => undefined,
          (refusal: unknown) => refusal,
        );
        if (call.hiddenWhenRefused && !(error instanceof DeactivatedActorError)) expect(error).toBeInstanceOf(NotFoundError);
        else expect(error).toBeInstanceOf(ForbiddenError);
        // A refusal in alpha names it (so the user knows where to ask); a deactivated user is told that instead.
        if (error instanceof ForbiddenError && !(error instanceof DeactivatedActorError) && call.column === "here") expect(error.environment).toBe("alpha");
        const entries = await denied();
        expect(entries.length).toBeGreaterThan(0);
        expect(entries.map((entry) => entry.action)).toEqual(entries.map(() => call.deniedAs));
        if (call.column === "here") expect(entries.map((entry) => entry.environmentId)).toEqual(entries.map(() => HERE));
      });
    }
  }
});
