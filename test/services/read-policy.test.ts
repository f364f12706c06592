// Every read asks the policy: a deactivated user gets a refusal (audited as `denied`), never the
// inventory, whatever their role; the typeahead's successes stay unaudited, its refusals do not.
import { beforeEach, expect, it } from "vitest";
import type { Actor, RequestContext } from "../../src/services/actor.js";
import { DeactivatedActorError } from "../../src/services/errors.js";
import { getProgressFor } from "../../src/services/operation-service.js";
import { toActor } from "../../src/services/user-service.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture, type Fixture } from "../support/fixtures.js";

describeEachDatabase("reads ask the policy", (t) => {
  let fixture: Fixture;
  let admin: Actor;
  let vmIds: number[];
  let operationId: number;

  beforeEach(async () => {
    fixture = buildFixture(t.db, { latencyMs: 1 });
    admin = await fixture.addUser("U0ADMIN", "admin");
    const vms = [await fixture.addVm("read-1", { status: "stopped" }), await fixture.addVm("read-2", { status: "running" })];
    vmIds = vms.map((vm) => vm.id);
    await fixture.services.snapshots.createSnapshot(fixture.as(admin), "read-2", "read-snap");
    operationId = (await fixture.services.vmActions.requestVmAction(fixture.as(admin), "start", { names: ["read-1"] })).operationId;
    await fixture.services.vmActions.trackOperation(operationId);
  });

  /** An admin who acted, then was deactivated: the actor read back from the deactivated row. */
  async function deactivatedAdmin(): Promise<RequestContext> {
    const user = await t.db.prisma.user.update({ where: { id: admin.userId }, data: { active: false } });
    return fixture.as(toActor(user));
  }

  const reads: Record<string, (ctx: RequestContext) => Promise<unknown>> = {
    "list": (ctx) => fixture.services.vms.listVms(ctx, {}),
    "page (re-render)": (ctx) => fixture.services.vms.fetchPage(ctx, {}),
    "count": (ctx) => fixture.services.vms.countVms(ctx, {}),
    "typeahead": (ctx) => fixture.services.vms.searchVms(ctx, "read"),
    "status": (ctx) => fixture.services.vms.getVmDetail(ctx, { name: "read-1" }),
    "status (re-render)": (ctx) => fixture.services.vms.getVmDetail(ctx, { id: vmIds[0]! }, { audited: false }),
    "selection": (ctx) => fixture.services.vms.getVmsByIds(ctx, vmIds),
    "recently acted on": (ctx) => fixture.services.vms.recentlyActedOn(ctx),
    "progress": (ctx) => getProgressFor(fixture.services, ctx, operationId),
    "snapshot list": (ctx) => fixture.services.snapshots.listSnapshots(ctx, "read-2"),
    "audit page": (ctx) => fixture.services.audit.query(ctx, {}),
    "own history (home)": (ctx) => fixture.services.audit.recentForUser(ctx),
    "audit export": (ctx) => fixture.services.audit.exportCsv(ctx, {}, async (file) => file.open().toArray()),
  };

  for (const [name, read] of Object.entries(reads)) {
    it(`refuses a deactivated user the ${name}, and audits the refusal`, async () => {
      // The same read works while the user is active (so the refusal below is the deactivation's doing).
      await expect(read(fixture.as(admin))).resolves.toBeDefined();
      const ctx = await deactivatedAdmin();
      const before = await t.db.prisma.auditLog.count({ where: { userId: admin.userId } });
      const attempt = read(ctx);
      await expect(attempt).rejects.toBeInstanceOf(DeactivatedActorError);
      await expect(attempt).rejects.toThrow(/deactivated/);
      const after = await t.db.prisma.auditLog.findMany({ where: { userId: admin.userId }, orderBy: { id: "asc" }, skip: before });
      expect(after.map((entry) => entry.outcome)).toEqual(["denied"]);
    });
  }

  it("refuses a deactivated admin every action too (remove, start, role change)", async () => {
    const ctx = await deactivatedAdmin();
    await expect(fixture.services.vms.removeVm(ctx, { name: "read-1" })).rejects.toBeInstanceOf(DeactivatedActorError);
    await expect(fixture.services.vmActions.requestVmAction(ctx, "stop", { names: ["read-2"] })).rejects.toBeInstanceOf(DeactivatedActorError);
    await expect(fixture.services.users.changeRole(ctx, { slackUserId: "U0SOMEONE" }, "admin")).rejects.toBeInstanceOf(DeactivatedActorError);
    expect(await t.db.prisma.vm.count()).toBe(2);
    const denied = await t.db.prisma.auditLog.findMany({ where: { userId: admin.userId, outcome: "denied" }, orderBy: { id: "asc" } });
    expect(denied.map((entry) => entry.action)).toEqual(["delete", "vm_stop", "role_changed"]);
  });

  it("does not audit typeahead keystrokes that succeed, and audits each one refused", async () => {
    const viewer = fixture.as(await fixture.addUser("U0TYPIST", "viewer"));
    for (const typed of ["r", "re", "rea", "read"]) expect((await fixture.services.vms.searchVms(viewer, typed)).length).toBeGreaterThan(0);
    expect(await t.db.prisma.auditLog.count({ where: { userId: viewer.actor.userId } })).toBe(0);
    const gone = fixture.as(toActor(await t.db.prisma.user.update({ where: { id: viewer.actor.userId }, data: { active: false } })));
    for (const typed of ["r", "re"]) await expect(fixture.services.vms.searchVms(gone, typed)).rejects.toBeInstanceOf(DeactivatedActorError);
    const denied = await t.db.prisma.auditLog.findMany({ where: { userId: viewer.actor.userId } });
    expect(denied.map((entry) => [entry.action, entry.outcome, (entry.details as { surface: string }).surface])).toEqual([
      ["view", "denied", "typeahead"],
      ["view", "denied", "typeahead"],
    ]);
  });

  it("refuses a status look at a VM that does not exist before saying it does not exist", async () => {
    const ctx = await deactivatedAdmin();
    await expect(fixture.services.vms.getVmDetail(ctx, { name: "no-such-vm" })).rejects.toBeInstanceOf(DeactivatedActorError);
  });
});
