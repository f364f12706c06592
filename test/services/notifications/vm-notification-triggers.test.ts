// The notifications the VM actions write, by their real triggers, on both databases: a start/stop that ends
// failed tells whoever asked (a cloud refusal, or a failure found while following it), once per VM, with the
// audit row of the failure; a reboot is not one of the seed's kinds; a single-VM action the dependency guard
// refuses tells whoever asked what blocks it. (admin_force_action: test/services/environments/force-override.test.ts.)
import { expect, it } from "vitest";
import { describeEachDatabase } from "../../support/databases.js";
import { buildFixture } from "../../support/fixtures.js";

describeEachDatabase("notifications from VM actions", (t) => {
  async function notifications() {
    const rows = await t.db.prisma.notification.findMany({ include: { user: true }, orderBy: { id: "asc" } });
    return rows.map((row) => ({ to: row.user.slackUserId, kind: row.kind, text: (row.payload as { text: string }).text, link: row.link, status: row.status }));
  }

  it("a start that fails in the cloud after it was accepted tells the requester once, with the provider's words", async () => {
    const fixture = buildFixture(t.db);
    const operator = await fixture.addUser("U0OPS", "operator");
    await fixture.addUser("U0BYSTANDER", "operator");
    await fixture.addVm("web-1", { status: "stopped", provider: "aws" });
    const doomed = await fixture.addVm("gpu-1", { status: "stopped", provider: "aws" });
    await fixture.providers.simulator("aws").injectFault(doomed.providerResourceId, "start", "Server.InsufficientInstanceCapacity: no capacity");
    const request = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["web-1", "gpu-1"] });
    expect(await notifications()).toEqual([]); // accepted by the cloud: nothing failed yet
    await fixture.services.vmActions.trackOperation(request.operationId, { pollIntervalMs: 10 });
    expect(await notifications()).toEqual([
      {
        to: "U0OPS",
        kind: "vm_action_failed",
        // The error catalog's plain words and the code to quote (the raw message stays in the audit details).
        text: "Start of gpu-1 failed: AWS has no spare capacity for this instance type in this Availability Zone right now. Try again later, or move the machine to another size or zone. (aws Server.InsufficientInstanceCapacity)",
        link: { vm: "gpu-1", operationId: request.operationId },
        status: "pending",
      },
    ]);
    expect(await t.db.prisma.auditLog.count({ where: { action: "vm_start", outcome: "failed" } })).toBe(1);
  });

  it("a stop the cloud refuses outright tells the requester; a failed reboot does not (not a seed kind)", async () => {
    const fixture = buildFixture(t.db, { throttleRate: 1 });
    const operator = await fixture.addUser("U0OPS", "operator");
    await fixture.addVm("db-1", { status: "running" });
    const stop = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "stop", { names: ["db-1"] });
    expect(stop.results[0]).toMatchObject({ outcome: "failed" });
    const [told] = await notifications();
    expect(told).toMatchObject({ to: "U0OPS", kind: "vm_action_failed", link: { vm: "db-1", operationId: stop.operationId } });
    expect(told!.text).toMatch(/^Stop of db-1 failed: .*(rate|throttl)/i);
    const reboot = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "reboot", { names: ["db-1"] });
    expect(reboot.results[0]).toMatchObject({ outcome: "failed" });
    expect(await t.db.prisma.notification.count()).toBe(1);
  });

  it("a failure found by two replicas resuming the same operation is told once", async () => {
    let clock = new Date("2026-11-20T10:00:00Z");
    const fixture = buildFixture(t.db, { latencyMs: 0, now: () => clock });
    const operator = await fixture.addUser("U0OPS", "operator");
    const doomed = await fixture.addVm("orphan-1", { status: "stopped", provider: "aws" });
    await fixture.providers.simulator("aws").injectFault(doomed.providerResourceId, "start", "Server.InternalError");
    await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["orphan-1"] });
    const other = buildFixture(t.db, { latencyMs: 0, now: () => clock });
    clock = new Date("2026-11-20T10:10:00Z");
    await Promise.all([fixture.services.vmActions.resumeAbandonedOperations(), other.services.vmActions.resumeAbandonedOperations()]);
    expect((await notifications()).map((row) => [row.to, row.kind, row.text])).toEqual([["U0OPS", "vm_action_failed", "Start of orphan-1 failed: Server.InternalError"]]);
  });

  it("a start refused by the dependency guard tells the requester what blocks it (and is no vm_action_failed)", async () => {
    const fixture = buildFixture(t.db);
    await fixture.addVm("db", { status: "stopped", environment: "shop" });
    const worker = await fixture.addVm("worker", { status: "stopped", environment: "shop" });
    const db = await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "db" } });
    await t.db.prisma.vmDependency.create({ data: { vmId: worker.id, dependsOnVmId: db.id } });
    // The operator works in the shop environment: a `user` there.
    const operator = await fixture.grant(await fixture.addUser("U0OPS", "operator"), "shop", "user");
    const refused = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["worker"] });
    expect(refused.results[0]).toMatchObject({ outcome: "failed" });
    expect(await notifications()).toEqual([
      {
        to: "U0OPS",
        kind: "dependency_blocked",
        text: "Your start of worker was not sent to the cloud: worker depends on db (stopped): start the environment, or start db first.",
        link: { vm: "worker", operationId: refused.operationId },
        status: "pending",
      },
    ]);
    // Together the batch passes: nothing more to tell.
    const together = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["worker", "db"] });
    await fixture.services.vmActions.trackOperation(together.operationId, { pollIntervalMs: 10 });
    expect(await t.db.prisma.notification.count()).toBe(1);
  });
});
