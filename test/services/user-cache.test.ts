// The resolved-user cache of the interaction hot path: reused while fresh, dropped by invalidateUser after
// every change made through the services, re-read after USER_CACHE_SECONDS; lastSeenAt written only once it
// is a minute behind, as a claim on the value read.
import { expect, it } from "vitest";
import { DeactivatedUserError, LAST_SEEN_RESOLUTION_MS } from "../../src/services/user-service.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";

const TEAM = "T0TEST0001";

describeEachDatabase("resolved-user cache", (t) => {
  it("costs no query while fresh, sees a role change at once, and a direct database change after the TTL", async () => {
    let now = new Date("2026-11-01T09:00:00Z");
    const fixture = buildFixture(t.db, { now: () => now, userCacheMs: 5_000 });
    const { users } = fixture.services;
    const admin = await fixture.addUser("U0ADMIN", "admin", TEAM);
    await fixture.addUser("U0SECOND", "admin", TEAM);
    const identity = { teamId: TEAM, slackUserId: "U0CACHED" };
    expect((await users.resolveActor(identity, "slack_command")).role).toBe("viewer");

    const before = t.db.queries.snapshot();
    now = new Date(now.getTime() + 1_000);
    expect((await users.resolveActor(identity, "slack_button")).role).toBe("viewer");
    expect(t.db.queries.snapshot().queries - before.queries).toBe(0);

    // Through the service: invalidated after the commit, seen by the very next interaction.
    await users.changeRole(fixture.as(admin), { slackUserId: "U0CACHED", teamId: TEAM }, "operator");
    expect((await users.resolveActor(identity, "slack_button")).role).toBe("operator");

    // Behind the services' back (another replica, SQL by hand): seen once the entry is older than the TTL.
    await t.db.prisma.user.update({ where: { teamId_slackUserId: identity }, data: { role: "admin" } });
    expect((await users.resolveActor(identity, "slack_button")).role).toBe("operator");
    now = new Date(now.getTime() + 5_000);
    expect((await users.resolveActor(identity, "slack_button")).role).toBe("admin");

    // Deactivation: refused as soon as it is invalidated, and stays refused.
    const row = await t.db.prisma.user.update({ where: { teamId_slackUserId: identity }, data: { active: false } });
    users.invalidateUser(row.id);
    await expect(users.resolveActor(identity, "slack_button")).rejects.toBeInstanceOf(DeactivatedUserError);
    await expect(users.resolveActor(identity, "slack_button")).rejects.toBeInstanceOf(DeactivatedUserError);
  });

  it("writes lastSeenAt only once it is a minute behind, reading without a transaction, and logs no one in twice", async () => {
    const start = new Date("2026-11-01T09:00:00Z");
    let now = start;
    const { services } = buildFixture(t.db, { now: () => now, userCacheMs: 0 }); // every call reads the user
    const identity = { teamId: TEAM, slackUserId: "U0SEEN" };
    await services.users.resolveActor(identity, "slack_command");
    const lastSeen = async () => (await t.db.prisma.user.findUniqueOrThrow({ where: { teamId_slackUserId: identity } })).lastSeenAt!.getTime();

    const before = t.db.queries.snapshot();
    now = new Date(start.getTime() + LAST_SEEN_RESOLUTION_MS - 1);
    await services.users.resolveActor(identity, "slack_button");
    const quiet = t.db.queries.snapshot();
    expect(await lastSeen()).toBe(start.getTime());
    // Read only: the user and their grants (one query on PostgreSQL, which joins relations).
    expect(quiet.queries - before.queries).toBe(t.db.dialect === "postgresql" ? 1 : 2);
    expect(quiet.transactions - before.transactions).toBe(0);

    now = new Date(start.getTime() + LAST_SEEN_RESOLUTION_MS);
    await services.users.resolveActor(identity, "slack_button");
    expect(await lastSeen()).toBe(now.getTime());
    expect(await t.db.prisma.auditLog.count({ where: { action: "login", user: { slackUserId: "U0SEEN" } } })).toBe(1);
  });
});
