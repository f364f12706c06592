import { expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";

describeEachDatabase("audit log", (t) => {
  async function seedLog() {
    const fixture = buildFixture(t.db);
    const alice = await fixture.addUser("U0ALICE", "operator");
    const bob = await fixture.addUser("U0BOB", "admin");
    const vm = await fixture.addVm("web-1", { environment: "staging" });
    const environment = await t.db.prisma.environment.findUniqueOrThrow({ where: { name: "staging" } });
    const base = new Date("2026-11-10T12:00:00Z").getTime();
    const entries = Array.from({ length: 250 }, (_, index) => ({
      actor: index % 2 ? alice : bob,
      source: "slack_button" as const,
      action: (["vm_start", "vm_stop", "view"] as const)[index % 3]!,
      outcome: index % 10 === 0 ? ("denied" as const) : ("succeeded" as const),
      vmId: index % 5 === 0 ? vm.id : null,
      vmName: index % 5 === 0 ? vm.name : null,
      environmentId: index % 5 === 0 ? environment.id : null,
      details: { index, note: index === 7 ? 'quote " and, comma\nnewline' : undefined },
      // Several entries share a timestamp: the cursor must still not skip or repeat.
      at: new Date(base - Math.floor(index / 3) * 60_000),
    }));
    await fixture.services.audit.recordMany(entries);
    return { fixture, alice, bob, entries };
  }

  it("pages newest first with a stable cursor through entries sharing timestamps", async () => {
    const { fixture, bob } = await seedLog();
    const ids: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await fixture.services.audit.query(fixture.as(bob), { until: new Date("2026-11-11T00:00:00Z") }, { cursor, limit: 40 });
      ids.push(...page.items.map((entry) => entry.id));
      for (let index = 1; index < page.items.length; index++) expect(page.items[index - 1]!.at >= page.items[index]!.at).toBe(true);
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
  });

  it("filters by user, action, VM, environment, outcome and time", async () => {
    const { fixture, bob, entries } = await seedLog();
    const count = (keep: (entry: (typeof entries)[number]) => boolean) => entries.filter(keep).length;
    const query = (filters: Parameters<typeof fixture.services.audit.query>[1]) =>
      fixture.services.audit.query(fixture.as(bob), { until: new Date("2026-11-11T00:00:00Z"), ...filters }, { limit: 500 }).then((page) => page.items);
    expect((await query({ slackUserIds: ["U0ALICE"] })).every((entry) => entry.slackUserId === "U0ALICE")).toBe(true);
    expect(await query({ slackUserIds: ["U0ALICE"] })).toHaveLength(125);
    expect(await query({ actions: ["vm_start"] })).toHaveLength(count((entry) => entry.action === "vm_start"));
    expect(await query({ actions: ["vm_start", "vm_stop"], slackUserIds: ["U0BOB"] })).toHaveLength(
      count((entry) => entry.action !== "view" && entry.actor.slackUserId === "U0BOB"),
    );
    expect(await query({ vmName: "web-1" })).toHaveLength(50);
    expect(await query({ environment: "staging" })).toHaveLength(50);
    expect(await query({ outcomes: ["denied"] })).toHaveLength(25);
    const since = new Date("2026-11-10T11:00:00Z");
    expect(await query({ since })).toHaveLength(count((entry) => entry.at >= since));
    expect(await query({ since, actions: ["view"], slackUserIds: ["U0ALICE"] })).toHaveLength(
      count((entry) => entry.at >= since && entry.action === "view" && entry.actor.slackUserId === "U0ALICE"),
    );
  });

  it("records each look at the log as a view", async () => {
    const { fixture, alice } = await seedLog();
    await fixture.services.audit.query(fixture.as(alice), { actions: ["vm_start"] });
    const views = await t.db.prisma.auditLog.findMany({ where: { action: "view", userId: alice.userId, at: { gt: new Date("2026-11-11T00:00:00Z") } } });
    expect(views).toHaveLength(1);
    expect(views[0]!.details).toMatchObject({ surface: "audit", filters: { actions: ["vm_start"] } });
  });

  it("exports the filtered log as CSV, streamed, with quoting intact", async () => {
    const { fixture, bob } = await seedLog();
    const stream = await fixture.services.audit.exportCsv(fixture.as(bob), { until: new Date("2026-11-11T00:00:00Z") });
    const csv = (await stream.toArray()).join("");
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(250);
    expect(Object.keys(rows[0]!)).toEqual(["at", "user_id", "user_name", "action", "outcome", "source", "vm", "environment", "details"]);
    const tricky = rows.find((row) => JSON.parse(row.details!).index === 7)!;
    expect(JSON.parse(tricky.details!).note).toBe('quote " and, comma\nnewline');
    const filtered = parse((await (await fixture.services.audit.exportCsv(fixture.as(bob), { vmName: "web-1" })).toArray()).join(""), { columns: true });
    expect(filtered).toHaveLength(50);
    expect(await t.db.prisma.auditLog.count({ where: { action: "audit_exported", outcome: "succeeded" } })).toBe(2);
  });
});
