import { expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";
import type { AuditExportFile } from "../../src/services/audit-service.js";

const readCsv = async (file: AuditExportFile) => (await file.open().toArray()).join("");

describeEachDatabase("audit log", (t) => {
  async function seedLog() {
    const fixture = buildFixture(t.db);
    const alice = await fixture.addUser("U0ALICE", "operator");
    const bob = await fixture.addUser("U0BOB", "admin");
    const vm = await fixture.addVm("web-1", { environment: "staging" });
    const base = new Date("2026-11-10T12:00:00Z").getTime();
    const entries = Array.from({ length: 250 }, (_, index) => ({
      actor: index % 2 ? alice : bob,
      source: "slack_button" as const,
      action: (["vm_start", "vm_stop", "view"] as const)[index % 3]!,
      outcome: index % 10 === 0 ? ("denied" as const) : ("succeeded" as const),
      vmId: index % 5 === 0 ? vm.id : null,
      vmName: index % 5 === 0 ? vm.name : null,
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
    // Users and environments are looked up by name first: an unknown one matches nothing, not everything.
    expect(await query({ environment: "no-such-environment" })).toHaveLength(0);
    expect(await query({ slackUserIds: ["U0NOBODY"] })).toHaveLength(0);
    expect(await query({ slackUserIds: ["U0NOBODY", "U0ALICE"] })).toHaveLength(125);
    expect(await query({ outcomes: ["denied"] })).toHaveLength(25);
    const since = new Date("2026-11-10T11:00:00Z");
    expect(await query({ since })).toHaveLength(count((entry) => entry.at >= since));
    expect(await query({ since, actions: ["view"], slackUserIds: ["U0ALICE"] })).toHaveLength(
      count((entry) => entry.at >= since && entry.action === "view" && entry.actor.slackUserId === "U0ALICE"),
    );
  });

  it("files real actions under the VM's environment, so `/vm audit env:x` finds them", async () => {
    const fixture = buildFixture(t.db);
    const admin = await fixture.addUser("U0ADMIN", "admin");
    await fixture.addVm("api-1", { environment: "prod", status: "stopped" });
    await fixture.addVm("loose-1", { status: "stopped" });
    const operator = await fixture.grant(await fixture.addUser("U0OPS", "operator"), "prod", "user");
    const request = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["api-1", "loose-1"] });
    await fixture.services.vmActions.trackOperation(request.operationId, { pollIntervalMs: 10 });
    await fixture.services.snapshots.createSnapshot(fixture.as(operator), "api-1", "nightly");

    const prod = await fixture.services.audit.query(fixture.as(admin), { environment: "prod" }, { limit: 50 });
    expect(prod.items.map((entry) => `${entry.action}:${entry.outcome}:${entry.vmName}`).sort()).toEqual([
      "snapshot_created:initiated:api-1",
      "snapshot_created:succeeded:api-1",
      "vm_start:initiated:api-1",
      "vm_start:succeeded:api-1",
    ]);
    expect(prod.items.every((entry) => entry.environment === "prod")).toBe(true);
    // A VM outside any environment is recorded without one.
    const loose = await t.db.prisma.auditLog.findMany({ where: { vmName: "loose-1" } });
    expect(loose.length).toBe(2);
    expect(loose.every((entry) => entry.environmentId === null)).toBe(true);
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
    const csv = await fixture.services.audit.exportCsv(fixture.as(bob), { until: new Date("2026-11-11T00:00:00Z") }, readCsv);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(250);
    expect(Object.keys(rows[0]!)).toEqual(["at", "user_id", "user_name", "action", "outcome", "source", "vm", "environment", "details"]);
    const tricky = rows.find((row) => JSON.parse(row.details!).index === 7)!;
    expect(JSON.parse(tricky.details!).note).toBe('quote " and, comma\nnewline');
    const filtered = parse(await fixture.services.audit.exportCsv(fixture.as(bob), { vmName: "web-1" }, readCsv), { columns: true });
    expect(filtered).toHaveLength(50);
    const exports = await t.db.prisma.auditLog.findMany({ where: { action: "audit_exported", outcome: "succeeded" }, orderBy: { id: "asc" } });
    expect(exports.map((entry) => (entry.details as { rows: number }).rows)).toEqual([250, 50]);
  });
});

describeEachDatabase("audit paging back and the user's own history", (t) => {
  it("pages backwards with `before` to exactly the pages seen going forward", async () => {
    const fixture = buildFixture(t.db);
    const admin = await fixture.addUser("U0ADMIN", "admin");
    const base = new Date("2026-11-10T12:00:00Z").getTime();
    await fixture.services.audit.recordMany(
      Array.from({ length: 65 }, (_, index) => ({ actor: admin, source: "schedule" as const, action: "reboot" as const, outcome: "succeeded" as const, vmName: `box-${index}`, at: new Date(base - Math.floor(index / 4) * 1000) })),
    );
    const filters = { actions: ["reboot"] };
    const forward = [];
    let page = await fixture.services.audit.query(fixture.as(admin), filters, { limit: 20 });
    forward.push(page);
    while (page.nextCursor) {
      page = await fixture.services.audit.query(fixture.as(admin), filters, { limit: 20, cursor: page.nextCursor });
      forward.push(page);
    }
    expect(forward.map((entry) => entry.items.length)).toEqual([20, 20, 20, 5]);
    for (let index = forward.length - 1; index > 0; index--) {
      const back = await fixture.services.audit.query(fixture.as(admin), filters, { limit: 20, before: forward[index]!.previousCursor });
      expect(back.items.map((entry) => entry.id)).toEqual(forward[index - 1]!.items.map((entry) => entry.id));
    }
  });

  it("shows a user their own recent actions (not views or logins) and the VMs they acted on, newest first", async () => {
    const fixture = buildFixture(t.db);
    const operator = await fixture.addUser("U0OPS", "operator");
    const other = await fixture.addUser("U0OTHER", "operator");
    const [a, b] = [await fixture.addVm("alpha", { status: "stopped" }), await fixture.addVm("beta", { status: "stopped" })];
    const at = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await fixture.services.audit.recordMany([
      { actor: operator, source: "slack_button", action: "vm_start", outcome: "succeeded", vmId: a.id, vmName: "alpha", at: at(30) },
      { actor: operator, source: "slack_button", action: "vm_stop", outcome: "succeeded", vmId: b.id, vmName: "beta", at: at(20) },
      { actor: operator, source: "slack_button", action: "vm_stop", outcome: "initiated", vmId: a.id, vmName: "alpha", at: at(10) },
      { actor: operator, source: "slack_button", action: "vm_stop", outcome: "succeeded", vmId: a.id, vmName: "alpha", at: at(10) },
      { actor: operator, source: "slack_command", action: "view", outcome: "succeeded", vmId: b.id, vmName: "beta", at: at(5) },
      { actor: other, source: "slack_button", action: "reboot", outcome: "succeeded", vmId: b.id, vmName: "beta", at: at(1) },
    ]);
    const recent = await fixture.services.audit.recentForUser(fixture.as(operator, "slack_home"), 10);
    expect(recent.map((entry) => `${entry.action}:${entry.vmName}`)).toEqual(["vm_stop:alpha", "vm_stop:beta", "vm_start:alpha"]);
    const vms = await fixture.services.vms.recentlyActedOn(fixture.as(operator, "slack_home"), 10);
    expect(vms.map((entry) => `${entry.vm.name}:${entry.action}`)).toEqual(["alpha:vm_stop", "beta:vm_stop"]);
    expect(await t.db.prisma.auditLog.count({ where: { action: "view", source: "slack_home", userId: operator.userId } })).toBe(1);
  });
});
