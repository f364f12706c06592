// What a user sees and touches follows their environment access: lists, typeahead and status cards hold only
// what they may view (an unseen VM answers like an unknown one, the refusal audited), a batch with one refused
// VM is refused whole, and the audit log shows one's own entries plus those of the environments one administers.
import { expect, it } from "vitest";
import { ForbiddenError, NotFoundError } from "../../src/services/errors.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";

describeEachDatabase("visibility by environment access", (t) => {
  async function setUp() {
    const f = buildFixture(t.db, { latencyMs: 5 });
    await f.addVm("alpha-1", { environment: "alpha", status: "stopped" });
    await f.addVm("beta-1", { environment: "beta", status: "stopped" });
    await f.addVm("loose-1", { status: "stopped" });
    const admin = await f.addUser("U0ADMIN", "admin");
    const user = await f.grant(await f.addUser("U0USER", "operator"), "alpha", "user");
    return { f, admin, user };
  }

  it("lists, counts, typeahead and environment lists hold only what the user may view; a global admin sees all", async () => {
    const { f, admin, user } = await setUp();
    const names = async (ctx = f.as(user)) => (await f.services.vms.listVms(ctx, {})).items.map((vm) => vm.name);
    expect(await names()).toEqual(["alpha-1", "loose-1"]);
    expect(await f.services.vms.countVms(f.as(user), {})).toBe(2);
    expect((await f.services.vms.searchVms(f.as(user), "1")).map((vm) => vm.name)).toEqual(["alpha-1", "loose-1"]);
    expect((await f.services.vms.searchVms(f.as(user), "beta")).map((vm) => vm.name)).toEqual([]);
    expect((await f.services.environments.listEnvironments(f.as(user))).map((environment) => environment.name)).toEqual(["alpha"]);
    expect(await names(f.as(admin))).toEqual(["alpha-1", "beta-1", "loose-1"]);
    expect((await f.services.environments.listEnvironments(f.as(admin))).map((environment) => environment.name)).toEqual(["alpha", "beta"]);
  });

  it("answers a status card of an unseen VM exactly like an unknown VM, and audits the refusal", async () => {
    const { f, user } = await setUp();
    const unseen = await f.services.vms.getVmDetail(f.as(user), { name: "beta-1" }).catch((error: unknown) => error);
    const unknown = await f.services.vms.getVmDetail(f.as(user), { name: "gamma-1" }).catch((error: unknown) => error);
    expect(unseen).toBeInstanceOf(NotFoundError);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unseen as Error).message).toBe((unknown as Error).message.replace("gamma-1", "beta-1"));
    const denied = await t.db.prisma.auditLog.findMany({ where: { userId: user.userId, outcome: "denied" } });
    expect(denied.map((entry) => [entry.action, entry.vmName])).toEqual([["view", "beta-1"]]);
  });

  it("refuses a batch whole when one VM sits where the user may not act: a denied entry per refused VM, nothing started", async () => {
    const { f, user } = await setUp();
    const refusal = await f.services.vmActions.requestVmAction(f.as(user), "start", { names: ["alpha-1", "beta-1"] }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ForbiddenError);
    expect((refusal as ForbiddenError).environment).toBe("beta");
    const entries = await t.db.prisma.auditLog.findMany({ where: { userId: user.userId, action: "vm_start" } });
    expect(entries.map((entry) => [entry.vmName, entry.outcome])).toEqual([["beta-1", "denied"]]);
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "alpha-1" } })).status).toBe("stopped");
    expect(await t.db.prisma.operationExecution.count()).toBe(0);
  });

  it("shows the audit log scoped: own entries, plus the environments one administers; exports only with env:theirs", async () => {
    const { f, admin, user } = await setUp();
    const envAdmin = await f.grant(await f.addUser("U0ENVADMIN", "operator"), "alpha", "admin", { envAdmin: true });
    const at = new Date("2026-11-01T10:00:00Z");
    const entry = (actor: typeof admin, vmName: string) => ({ actor, source: "schedule" as const, action: "reboot" as const, outcome: "succeeded" as const, vmName, at });
    const alpha = await t.db.prisma.environment.findUniqueOrThrow({ where: { name: "alpha" } });
    const beta = await t.db.prisma.environment.findUniqueOrThrow({ where: { name: "beta" } });
    await f.services.audit.recordMany([
      { ...entry(admin, "in-alpha"), environmentId: alpha.id },
      { ...entry(admin, "in-beta"), environmentId: beta.id },
      entry(admin, "platform"),
      entry(user, "mine"),
    ]);
    const seen = async (actor: typeof admin) => (await f.services.audit.query(f.as(actor), { actions: ["reboot"] })).items.map((item) => item.vmName).sort();
    expect(await seen(user)).toEqual(["mine"]);
    expect(await seen(envAdmin)).toEqual(["in-alpha"]);
    expect(await seen(admin)).toEqual(["in-alpha", "in-beta", "mine", "platform"]);

    const rowsOf = (filters: { environment?: string }) => f.services.audit.exportCsv(f.as(envAdmin), { actions: ["reboot"], ...filters }, async (file) => file.rows);
    expect(await rowsOf({ environment: "alpha" })).toBe(1);
    await expect(rowsOf({})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(rowsOf({ environment: "beta" })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await f.services.audit.mayExport(f.as(envAdmin), { environment: "alpha" })).toBe(true);
    expect(await f.services.audit.mayExport(f.as(envAdmin), {})).toBe(false);
    const denied = await t.db.prisma.auditLog.count({ where: { userId: envAdmin.userId, action: "audit_exported", outcome: "denied" } });
    expect(denied).toBe(2);
  });

  it("says in whoami what the user may do where", async () => {
    const { f, user } = await setUp();
    const me = await f.services.users.whoami(f.as(user));
    expect(me.permissions).toContain("vm_start");
    expect(me.environments.map((environment) => [environment.name, environment.level, environment.permissions.includes("vm_start"), environment.permissions.includes("dependency_override")])).toEqual([["alpha", "user", true, false]]);
  });
});
