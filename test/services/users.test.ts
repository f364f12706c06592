import { expect, it } from "vitest";
import { ForbiddenError } from "../../src/services/errors.js";
import { DeactivatedUserError, LastAdminError } from "../../src/services/user-service.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";

const TEAM = "T0TEST0001";

describeEachDatabase("users and roles", (t) => {
  it("registers users on first sight with the bootstrap role, else the default role", async () => {
    const { services } = buildFixture(t.db, { admins: ["U0BOSS"], operators: ["U0OPS"], defaultRole: "viewer" });
    const boss = await services.users.resolveActor({ teamId: TEAM, slackUserId: "U0BOSS" }, "slack_command");
    const ops = await services.users.resolveActor({ teamId: TEAM, slackUserId: "U0OPS" }, "slack_command");
    const someone = await services.users.resolveActor({ teamId: TEAM, slackUserId: "U0ANYONE", displayName: "Any One" }, "slack_command");
    expect([boss.role, ops.role, someone.role]).toEqual(["admin", "operator", "viewer"]);
    expect(someone.displayName).toBe("Any One");
    expect(await t.db.prisma.user.count()).toBe(3);
  });

  it("honours VM_DEFAULT_ROLE", async () => {
    const { services } = buildFixture(t.db, { defaultRole: "operator" });
    expect((await services.users.resolveActor({ teamId: TEAM, slackUserId: "U0NEW" }, "slack_command")).role).toBe("operator");
  });

  it("raises existing users named in the bootstrap lists at start-up, audited", async () => {
    await t.db.prisma.user.create({ data: { teamId: TEAM, slackUserId: "U0LATER", role: "viewer" } });
    const { services } = buildFixture(t.db, { admins: ["U0LATER"] });
    expect(await services.users.applyBootstrapRoles()).toBe(1);
    expect((await t.db.prisma.user.findFirstOrThrow({ where: { slackUserId: "U0LATER" } })).role).toBe("admin");
    const entry = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "role_changed" } });
    expect(entry.details).toMatchObject({ target: "U0LATER", from: "viewer", to: "admin", reason: "bootstrap" });
    expect(await services.users.applyBootstrapRoles()).toBe(0);
  });

  it("lets admins change roles, audited with before and after", async () => {
    const fixture = buildFixture(t.db);
    const admin = await fixture.addUser("U0ADMIN", "admin");
    await fixture.addUser("U0ALICE", "viewer");
    const result = await fixture.services.users.changeRole(fixture.as(admin), { slackUserId: "U0ALICE" }, "operator");
    expect(result.previousRole).toBe("viewer");
    expect((await t.db.prisma.user.findFirstOrThrow({ where: { slackUserId: "U0ALICE" } })).role).toBe("operator");
    const entry = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "role_changed", outcome: "succeeded" } });
    expect(entry.userId).toBe(admin.userId);
    expect(entry.details).toMatchObject({ target: "U0ALICE", from: "viewer", to: "operator" });
  });

  it("refuses role changes by non-admins and audits the refusal", async () => {
    const fixture = buildFixture(t.db);
    const operator = await fixture.addUser("U0OPER", "operator");
    await expect(fixture.services.users.changeRole(fixture.as(operator), { slackUserId: "U0OPER" }, "admin")).rejects.toBeInstanceOf(ForbiddenError);
    expect((await t.db.prisma.user.findFirstOrThrow({ where: { slackUserId: "U0OPER" } })).role).toBe("operator");
    expect(await t.db.prisma.auditLog.count({ where: { action: "role_changed", outcome: "denied", userId: operator.userId } })).toBe(1);
  });

  it("never leaves the team without an admin", async () => {
    const fixture = buildFixture(t.db);
    const admin = await fixture.addUser("U0ONLYADMIN", "admin");
    await expect(fixture.services.users.changeRole(fixture.as(admin), { slackUserId: "U0ONLYADMIN" }, "viewer")).rejects.toBeInstanceOf(LastAdminError);
    await fixture.addUser("U0SECOND", "admin");
    await fixture.services.users.changeRole(fixture.as(admin), { slackUserId: "U0ONLYADMIN" }, "viewer");
    expect((await t.db.prisma.user.findFirstOrThrow({ where: { slackUserId: "U0ONLYADMIN" } })).role).toBe("viewer");
  });

  it("refuses deactivated users", async () => {
    await t.db.prisma.user.create({ data: { teamId: TEAM, slackUserId: "U0GONE", role: "admin", active: false } });
    const { services } = buildFixture(t.db);
    await expect(services.users.resolveActor({ teamId: TEAM, slackUserId: "U0GONE" }, "slack_command")).rejects.toBeInstanceOf(DeactivatedUserError);
  });

  it("records login on first interaction and after the idle window, logout on request and on expiry", async () => {
    let now = new Date("2026-11-01T09:00:00Z");
    const { services } = buildFixture(t.db, { now: () => now, sessionIdleMinutes: 60 });
    const identity = { teamId: TEAM, slackUserId: "U0SESSION" };
    const actor = await services.users.resolveActor(identity, "slack_command");
    now = new Date("2026-11-01T09:30:00Z");
    await services.users.resolveActor(identity, "slack_button");
    now = new Date("2026-11-01T11:00:00Z"); // idle 90 minutes > 60
    await services.users.resolveActor(identity, "slack_command");
    await services.users.logout({ actor, source: "slack_command" });
    await services.users.resolveActor(identity, "slack_command");
    now = new Date("2026-11-01T13:00:00Z");
    expect(await services.users.closeIdleSessions()).toBe(1);
    expect(await services.users.closeIdleSessions()).toBe(0);

    const entries = await t.db.prisma.auditLog.findMany({ where: { userId: actor.userId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    expect(entries.map((entry) => `${entry.action}@${entry.at.toISOString().slice(11, 16)}`)).toEqual([
      "login@09:00",
      "logout@10:30", // idle expiry is dated at last activity + window
      "login@11:00",
      "logout@11:00",
      "login@11:00",
      "logout@12:00",
    ]);
  });
});
