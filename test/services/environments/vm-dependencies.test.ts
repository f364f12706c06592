// Single-VM actions inside an environment respect its dependencies (group and VM dependencies), a batch
// may act on a VM and what it needs together, and a global admin may override with an audited reason.
import { expect, it } from "vitest";
import { ForbiddenError, ValidationError } from "../../../src/services/errors.js";
import { describeEachDatabase } from "../../support/databases.js";
import { buildFixture } from "../../support/fixtures.js";

describeEachDatabase("VM actions inside an environment", (t) => {
  /** shop: group data (db) <- group app (api <- worker). */
  async function shop(statuses: { db: "running" | "stopped"; api: "running" | "stopped"; worker: "running" | "stopped" }) {
    const fixture = buildFixture(t.db);
    const db = await fixture.addVm("db", { status: statuses.db, environment: "shop" });
    const api = await fixture.addVm("api", { status: statuses.api, environment: "shop" });
    const worker = await fixture.addVm("worker", { status: statuses.worker, environment: "shop" });
    const app = await t.db.prisma.vmGroup.findUniqueOrThrow({ where: { id: api.groupId! } });
    const data = await t.db.prisma.vmGroup.create({ data: { environmentId: app.environmentId, name: "data" } });
    await t.db.prisma.vm.update({ where: { id: db.id }, data: { groupId: data.id } });
    await t.db.prisma.groupDependency.create({ data: { groupId: app.id, dependsOnGroupId: data.id } });
    await t.db.prisma.vmDependency.create({ data: { vmId: worker.id, dependsOnVmId: api.id } });
    return fixture;
  }

  it("refuses to start a VM whose group dependency is stopped, naming it, and touches nothing", async () => {
    const fixture = await shop({ db: "stopped", api: "stopped", worker: "stopped" });
    const operator = await fixture.grantEverywhere(await fixture.addUser("U0OPS", "operator"), "user");
    const request = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["api"] });
    expect(request.results).toEqual([expect.objectContaining({ name: "api", outcome: "failed", message: "api depends on db (stopped): start the environment, or start db first" })]);
    const api = await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "api" } });
    expect(api).toMatchObject({ status: "stopped", claimOperationId: null });
    const audited = await t.db.prisma.auditLog.findMany({ where: { vmName: "api", action: "vm_start" } });
    expect(audited.map((entry) => entry.outcome)).toEqual(["failed"]);
  });

  it("refuses a VM dependency too, and lets a batch start a VM together with what it needs", async () => {
    const fixture = await shop({ db: "running", api: "stopped", worker: "stopped" });
    const operator = await fixture.grantEverywhere(await fixture.addUser("U0OPS", "operator"), "user");
    const alone = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["worker"] });
    expect(alone.results[0]).toMatchObject({ outcome: "failed", message: "worker depends on api (stopped): start the environment, or start api first" });
    const together = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["worker", "api"] });
    expect(together.results.map((result) => [result.name, result.outcome])).toEqual([["api", "accepted"], ["worker", "accepted"]]);
  });

  it("never lets a start of a VM and a stop of what it needs both through when they come at the same moment", async () => {
    for (let round = 0; round < 5; round++) {
      await t.db.prisma.$transaction([t.db.prisma.operationVm.deleteMany(), t.db.prisma.operationExecution.deleteMany(), t.db.prisma.auditLog.deleteMany(), t.db.prisma.vm.deleteMany(), t.db.prisma.vmGroup.deleteMany(), t.db.prisma.environment.deleteMany()]);
      const fixture = await shop({ db: "running", api: "stopped", worker: "stopped" });
      const operator = await fixture.grantEverywhere(await fixture.addUser(`U0OPS${round}`, "operator"), "user");
      const [start, stop] = await Promise.all([
        fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["api"] }),
        fixture.services.vmActions.requestVmAction(fixture.as(operator), "stop", { names: ["db"] }),
      ]);
      const accepted = [start.results[0]!, stop.results[0]!].filter((result) => result.outcome === "accepted");
      // One of them goes ahead; the other sees it and is refused with the dependency in its words.
      expect(accepted).toHaveLength(1);
      const refused = [start.results[0]!, stop.results[0]!].find((result) => result.outcome !== "accepted")!;
      expect(refused.message).toMatch(/^(api depends on db \(stopping\)|db is needed by api \(starting\))/);
    }
  });

  it("refuses to stop a VM that running VMs depend on", async () => {
    const fixture = await shop({ db: "running", api: "running", worker: "stopped" });
    const operator = await fixture.grantEverywhere(await fixture.addUser("U0OPS", "operator"), "user");
    const request = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "stop", { names: ["db"] });
    expect(request.results[0]).toMatchObject({ outcome: "failed", message: "db is needed by api (running): stop the environment, or stop api first" });
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "db" } })).status).toBe("running");
    const both = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "stop", { names: ["db", "api"] });
    expect(both.results.every((result) => result.outcome === "accepted")).toBe(true);
  });

  it("lets a global admin override with a reason (audited), and refuses others (audited denied)", async () => {
    const fixture = await shop({ db: "stopped", api: "stopped", worker: "stopped" });
    const operator = await fixture.grantEverywhere(await fixture.addUser("U0OPS", "operator"), "user");
    const admin = await fixture.addUser("U0ADMIN", "admin");
    const reason = "db is up outside the bot, trust me";
    await expect(fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["api"] }, { override: { reason } })).rejects.toBeInstanceOf(ForbiddenError);
    const denied = await t.db.prisma.auditLog.findFirstOrThrow({ where: { userId: operator.userId, outcome: "denied" } });
    expect(denied).toMatchObject({ action: "vm_start", vmName: "api" });
    expect(JSON.parse(JSON.stringify(denied.details))).toMatchObject({ override: reason });
    await expect(fixture.services.vmActions.requestVmAction(fixture.as(admin), "start", { names: ["api"] }, { override: { reason: "because" } })).rejects.toBeInstanceOf(ValidationError);

    const request = await fixture.services.vmActions.requestVmAction(fixture.as(admin), "start", { names: ["api"] }, { override: { reason } });
    expect(request.results[0]).toMatchObject({ name: "api", outcome: "accepted" });
    const initiated = await t.db.prisma.auditLog.findFirstOrThrow({ where: { userId: admin.userId, outcome: "initiated", vmName: "api" } });
    expect(JSON.parse(JSON.stringify(initiated.details))).toMatchObject({ override: reason, operationId: request.operationId });
  });
});
