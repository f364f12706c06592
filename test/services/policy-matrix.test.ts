// Every role against every action: allowed ones succeed, refused ones throw ForbiddenError and
// leave a `denied` audit entry naming the actor.
import { beforeEach, expect, it } from "vitest";
import { ROLES, type RequestContext, type Role } from "../../src/services/actor.js";
import { ForbiddenError } from "../../src/services/errors.js";
import { PERMISSIONS, can, type Permission } from "../../src/services/policy.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture, type Fixture } from "../support/fixtures.js";

const EXPECTED: Record<Role, Permission[]> = {
  viewer: ["vm_view", "snapshot_view", "audit_view"],
  operator: ["vm_view", "snapshot_view", "audit_view", "vm_start", "vm_stop", "reboot", "snapshot_create", "snapshot_restore", "snapshot_delete", "audit_export"],
  admin: [...PERMISSIONS],
};

it("grants exactly the documented permissions to each role", () => {
  for (const role of ROLES) {
    expect(PERMISSIONS.filter((permission) => can(role, permission)).sort()).toEqual([...EXPECTED[role]].sort());
  }
});

describeEachDatabase("authorization matrix", (t) => {
  let fixture: Fixture;
  let snapshotId: number;

  beforeEach(async () => {
    fixture = buildFixture(t.db);
    await fixture.addVm("matrix-run", { status: "running" });
    await fixture.addVm("matrix-stopped", { status: "stopped" });
    const admin = await fixture.addUser("U0SETUPADMIN", "admin");
    const snapshot = await fixture.services.snapshots.createSnapshot(fixture.as(admin), "matrix-stopped", "setup-snap");
    snapshotId = snapshot.id;
  });

  const calls: Record<Permission, (ctx: RequestContext, f: Fixture) => Promise<unknown>> = {
    vm_view: (ctx, f) => f.services.vms.listVms(ctx, {}),
    vm_start: (ctx, f) => f.services.vmActions.requestVmAction(ctx, "start", { names: ["matrix-stopped"] }),
    vm_stop: (ctx, f) => f.services.vmActions.requestVmAction(ctx, "stop", { names: ["matrix-run"] }),
    reboot: (ctx, f) => f.services.vmActions.requestVmAction(ctx, "reboot", { names: ["matrix-run"] }),
    vm_delete: (ctx, f) => f.services.vms.removeVm(ctx, { name: "matrix-run" }),
    snapshot_view: (ctx, f) => f.services.snapshots.listSnapshots(ctx, "matrix-stopped"),
    snapshot_create: (ctx, f) => f.services.snapshots.createSnapshot(ctx, "matrix-stopped", "made-by-test"),
    snapshot_restore: async (ctx, f) => {
      await waitForSnapshot(f, snapshotId);
      return f.services.snapshots.restoreSnapshot(ctx, snapshotId);
    },
    snapshot_delete: async (ctx, f) => {
      await waitForSnapshot(f, snapshotId);
      return f.services.snapshots.deleteSnapshot(ctx, snapshotId);
    },
    audit_view: (ctx, f) => f.services.audit.query(ctx, {}),
    audit_export: (ctx, f) => f.services.audit.exportCsv(ctx, {}, async (file) => file.open().toArray()),
    role_change: (ctx, f) => f.services.users.changeRole(ctx, { slackUserId: "U0SOMEONE" }, "operator"),
    jobs_view: (ctx, f) => f.services.jobs.recentRuns(ctx),
    dependency_override: (ctx, f) => f.services.vmActions.requestVmAction(ctx, "start", { names: ["matrix-stopped"] }, { override: { reason: "matrix: dependencies overridden" } }),
  };

  const auditActionOf: Record<Permission, string> = {
    vm_view: "view", vm_start: "vm_start", vm_stop: "vm_stop", reboot: "reboot", vm_delete: "delete",
    snapshot_view: "view", snapshot_create: "snapshot_created", snapshot_restore: "snapshot_restored",
    snapshot_delete: "snapshot_deleted", audit_view: "view", audit_export: "audit_exported", role_change: "role_changed",
    jobs_view: "view", dependency_override: "vm_start",
  };

  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const allowed = EXPECTED[role].includes(permission);
      it(`${role} ${allowed ? "may" : "may not"} ${permission}`, async () => {
        const actor = await fixture.addUser(`U0${role.toUpperCase()}X`, role);
        const attempt = calls[permission](fixture.as(actor), fixture);
        if (allowed) {
          await attempt;
          const succeeded = await t.db.prisma.auditLog.count({ where: { userId: actor.userId, outcome: "succeeded", action: auditActionOf[permission] } });
          expect(succeeded).toBeGreaterThan(0);
          return;
        }
        await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
        const denied = await t.db.prisma.auditLog.findMany({ where: { userId: actor.userId, outcome: "denied" } });
        expect(denied.length).toBeGreaterThan(0);
        expect(denied.every((entry) => entry.action === auditActionOf[permission])).toBe(true);
      });
    }
  }
});

/** The setup snapshot settles after the simulator's latency; poll the service until it is available. */
async function waitForSnapshot(fixture: Fixture, snapshotId: number) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const row = await fixture.services.snapshots.refreshTransitional(await vmIdOf(fixture, snapshotId)).then(() => snapshotRow(fixture, snapshotId));
    if (row?.status === "available") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("snapshot never became available");
}

const snapshotRow = (fixture: Fixture, id: number) => fixture.db.prisma.snapshot.findUnique({ where: { id } });
const vmIdOf = async (fixture: Fixture, id: number) => (await fixture.db.prisma.snapshot.findUniqueOrThrow({ where: { id } })).vmId!;
