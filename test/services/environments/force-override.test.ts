// A global admin's force (stop) and override (start): every VM at once, a reason required, audited as
// such, and the environment's admins (and the other global admins) notified in the run's transaction
// (`admin_force_action`); anyone else refused and audited `denied`, and nobody told.
import { expect, it } from "vitest";
import { storedPlanSchema } from "../../../src/services/environments/execution-model.js";
import { ForbiddenError, ValidationError } from "../../../src/services/errors.js";
import { describeEachDatabase } from "../../support/databases.js";
import { buildEnvironmentFixture } from "./env-fixture.js";
import { environment, group, vm } from "./specs.js";

const shop = () => ({
  environments: [
    environment("shop", [
      group("database", 0, [vm("db", 0), vm("replica", 1, ["db"])]),
      group("app", 1, [vm("api", 0), vm("worker", 1, ["api"])], ["database"]),
    ]),
  ],
  vms: [],
});

const ALL = ["db", "replica", "api", "worker"];

describeEachDatabase("force and override of environment runs", (t) => {
  /** Who was notified, in user order, and what they read. */
  async function notified() {
    const rows = await t.db.prisma.notification.findMany({ include: { user: true }, orderBy: { userId: "asc" } });
    return rows.map((row) => {
      const payload = row.payload as { text: string; facts: Record<string, string> };
      return { slackUserId: row.user.slackUserId, kind: row.kind, text: payload.text, facts: payload.facts };
    });
  }

  async function setup(running: string[]) {
    const f = buildEnvironmentFixture(t.db);
    await f.declare(shop(), running);
    const service = f.service();
    const admin = await f.actor("admin", "U0ADMIN");
    const otherAdmin = await f.actor("admin", "U0ADMIN2");
    const operator = await f.actor("operator", "U0OPS");
    const envAdmin = await f.actor("viewer", "U0ENVADMIN", "none");
    const revoked = await f.actor("viewer", "U0REVOKED", "none");
    const environmentId = (await t.db.prisma.environment.findUniqueOrThrow({ where: { name: "shop" } })).id;
    // An environment admin: the admin grant and the env_admin flag (without the flag the grant acts as `user`).
    await t.db.prisma.user.update({ where: { id: envAdmin.actor.userId }, data: { envAdmin: true } });
    await t.db.prisma.environmentAccess.create({ data: { environmentId, userId: envAdmin.actor.userId, level: "admin" } });
    await t.db.prisma.environmentAccess.create({ data: { environmentId, userId: revoked.actor.userId, level: "admin", status: "revoked", revokedAt: new Date() } });
    return { f, service, admin, otherAdmin, operator, envAdmin, environmentId };
  }

  it("a forced stop runs every VM at once, is audited with the reason and names the environment's admins", async () => {
    const { f, service, admin, environmentId } = await setup(ALL);
    const reason = "incident 42: cut the costs now";
    const request = await service.requestEnvironmentAction(admin, "shop", "stop", { override: { reason } });
    expect(await notified()).toEqual([
      { slackUserId: "U0ADMIN2", kind: "admin_force_action", text: "admin forced a stop of shop (every VM at once, not in reverse order).", facts: { Reason: reason, Run: `#${request.operationId}` } },
      { slackUserId: "U0ENVADMIN", kind: "admin_force_action", text: "admin forced a stop of shop (every VM at once, not in reverse order).", facts: { Reason: reason, Run: `#${request.operationId}` } },
    ]);
    const stored = storedPlanSchema.parse((await t.db.prisma.operationExecution.findUniqueOrThrow({ where: { id: request.operationId } })).plan);
    expect(stored.steps.every((step) => step.after.length === 0)).toBe(true);
    expect(stored.concurrency).toBe(4);
    const final = await service.runExecution(request.operationId);
    expect(final.status).toBe("succeeded");
    expect(f.calls.map((call) => call.vm).sort()).toEqual([...ALL].sort());
    expect(await t.db.prisma.vm.count({ where: { status: "stopped" } })).toBe(4);
    const initiated = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "environment_stop", outcome: "initiated" } });
    expect(initiated.environmentId).toBe(environmentId);
    expect(JSON.parse(JSON.stringify(initiated.details))).toMatchObject({ force: reason, operationId: request.operationId });
  });

  it("an overridden start starts every VM without waiting for dependencies, audited as an override", async () => {
    const { f, service, admin } = await setup([]);
    for (const name of ALL) f.prerequisitesOf.set(name, name === "worker" ? ["api"] : []);
    const reason = "dependencies are wrong in the inventory";
    const request = await service.requestEnvironmentAction(admin, "shop", "start", { override: { reason } });
    expect((await notified()).map((row) => [row.slackUserId, row.text])).toEqual([
      ["U0ADMIN2", "admin started shop overriding its dependencies (every VM at once)."],
      ["U0ENVADMIN", "admin started shop overriding its dependencies (every VM at once)."],
    ]);
    const final = await service.runExecution(request.operationId);
    expect(final.status).toBe("succeeded");
    // worker was asked of the cloud before api had completed: nothing waited.
    const worker = f.calls.find((call) => call.vm === "worker")!;
    expect(worker.prerequisites.api).not.toBe("succeeded");
    const initiated = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "environment_start", outcome: "initiated" } });
    expect(JSON.parse(JSON.stringify(initiated.details))).toMatchObject({ override: reason });
  });

  it("needs a reason of 10 characters and a global admin; a refusal is audited denied and creates no run", async () => {
    const { service, admin, operator } = await setup(ALL);
    await expect(service.requestEnvironmentAction(admin, "shop", "stop", { override: { reason: " short " } })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.requestEnvironmentAction(operator, "shop", "stop", { override: { reason: "I want it stopped now" } })).rejects.toBeInstanceOf(ForbiddenError);
    const denied = await t.db.prisma.auditLog.findFirstOrThrow({ where: { userId: operator.actor.userId, outcome: "denied" } });
    expect(denied.action).toBe("environment_stop");
    expect(JSON.parse(JSON.stringify(denied.details))).toMatchObject({ force: "I want it stopped now" });
    expect(await t.db.prisma.operationExecution.count()).toBe(0);
    expect(await t.db.prisma.notification.count()).toBe(0);
  });

  it("a run without force or override notifies nobody", async () => {
    const { service, admin } = await setup(ALL);
    await service.requestEnvironmentAction(admin, "shop", "stop");
    expect(await t.db.prisma.notification.count()).toBe(0);
  });
});
