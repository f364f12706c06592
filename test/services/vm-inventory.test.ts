import { expect, it } from "vitest";
import { ValidationError } from "../../src/services/errors.js";
import { parseVmQuery, formatVmQuery } from "../../src/services/vm-query.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture, type Fixture } from "../support/fixtures.js";

const PROVIDERS = ["aws", "azure", "gcp", "oci", "simulator"] as const;
const FLEET = 3000;

it("parses the filter language and writes it back", () => {
  const filters = parseVmQuery("status:running,stopped provider:aws tag:team=backend tag:owner env:demo name~db");
  expect(filters).toEqual({
    statuses: ["running", "stopped"],
    providers: ["aws"],
    tags: [{ key: "team", value: "backend" }, { key: "owner" }],
    environment: "demo",
    nameContains: "db",
  });
  expect(parseVmQuery(formatVmQuery(filters))).toEqual(filters);
  expect(parseVmQuery("web")).toEqual({ nameContains: "web" });
});

it("rejects bad filters with a message naming the problem", () => {
  expect(() => parseVmQuery("status:sleeping")).toThrow(/Unknown status "sleeping"/);
  expect(() => parseVmQuery("provider:ibm")).toThrow(ValidationError);
  expect(() => parseVmQuery("colour:blue")).toThrow(/Unknown filter "colour:"/);
  expect(() => parseVmQuery("status:")).toThrow(/needs a value/);
  expect(() => parseVmQuery("web db")).toThrow(/one name fragment/);
});

describeEachDatabase("VM inventory", (t) => {
  async function seedFleet() {
    const environment = await t.db.prisma.environment.create({ data: { name: "demo", groups: { create: { name: "app" } } }, include: { groups: true } });
    const rows = Array.from({ length: FLEET }, (_, index) => ({
      name: `vm-${String(index).padStart(5, "0")}${index % 7 === 0 ? "-DB" : ""}`,
      provider: PROVIDERS[index % 5]!,
      region: "r1",
      status: index % 3 === 0 ? ("running" as const) : ("stopped" as const),
      providerResourceId: `res-${index}`,
      groupId: index % 10 === 0 ? environment.groups[0]!.id : null,
    }));
    await t.db.prisma.vm.createMany({ data: rows });
    const vms = await t.db.prisma.vm.findMany({ select: { id: true, name: true } });
    await t.db.prisma.vmTag.createMany({
      data: vms.map((vm, index) => ({ vmId: vm.id, key: "team", value: index % 4 === 0 ? "backend" : "frontend" })),
    });
    return rows;
  }

  it(`pages through ${FLEET} VMs with stable cursors, every VM exactly once, in name order`, async () => {
    await seedFleet();
    const fixture = buildFixture(t.db);
    const viewer = await fixture.grantEverywhere(await fixture.addUser("U0VIEW", "viewer"), "viewer");
    const firstPage = await fixture.services.vms.listVms(fixture.as(viewer), {}, { limit: 250 });
    expect(firstPage.total).toBe(FLEET);
    const seen = firstPage.items.map((vm) => vm.name);
    let cursor = firstPage.nextCursor;
    while (cursor) {
      const page = await fixture.services.vms.fetchPage(fixture.as(viewer), {}, { cursor, limit: 250 });
      seen.push(...page.items.map((vm) => vm.name));
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(FLEET);
    expect(new Set(seen).size).toBe(FLEET);
    expect([...seen].sort()).toEqual(seen);
  });

  it("keeps pages stable when VMs are added before the cursor", async () => {
    await seedFleet();
    const { services, ctx } = await withReader(buildFixture(t.db));
    const page1 = await services.vms.fetchPage(ctx, {}, { limit: 10 });
    await t.db.prisma.vm.create({ data: { name: "aaa-new", provider: "aws", region: "r1", providerResourceId: "new-1" } });
    const page2 = await services.vms.fetchPage(ctx, {}, { cursor: page1.nextCursor, limit: 10 });
    expect(page2.items[0]!.name > page1.items[9]!.name).toBe(true);
    const back = await services.vms.fetchPage(ctx, {}, { before: page2.items[0]!.name, limit: 10 });
    expect(back.items.map((vm) => vm.name)).toEqual(page1.items.map((vm) => vm.name));
    expect(back.hasPrevious).toBe(true); // aaa-new now sorts before page one
  });

  it("filters by status, provider, tag, environment and name substring (case-insensitive) together", async () => {
    const rows = await seedFleet();
    const { services, ctx } = await withReader(buildFixture(t.db));
    const filters = parseVmQuery("status:running provider:aws,gcp tag:team=backend name~db");
    const expected = rows
      .map((row, index) => ({ ...row, team: index % 4 === 0 ? "backend" : "frontend" }))
      .filter((row) => row.status === "running" && ["aws", "gcp"].includes(row.provider) && row.team === "backend" && row.name.toLowerCase().includes("db"))
      .map((row) => row.name);
    expect(expected.length).toBeGreaterThan(5);
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await services.vms.fetchPage(ctx, filters, { cursor, limit: 7 });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.map((vm) => vm.name)).toEqual(expected);
    expect(await services.vms.countVms(ctx, filters)).toBe(expected.length);
    expect(await services.vms.countVms(ctx, { environment: "demo" })).toBe(FLEET / 10);
    expect(await services.vms.countVms(ctx, { tags: [{ key: "team" }] })).toBe(FLEET);
  });

  it("searches the whole inventory for the typeahead by name, tag value or environment, at most 100", async () => {
    await seedFleet();
    const { services, ctx } = await withReader(buildFixture(t.db));
    expect(await services.vms.searchVms(ctx, "vm-00")).toHaveLength(100);
    expect((await services.vms.searchVms(ctx, "00042")).map((vm) => vm.name)).toEqual(["vm-00042-DB"]);
    expect((await services.vms.searchVms(ctx, "demo", 5)).every((vm) => vm.environment === "demo")).toBe(true);
  });

  it("rejects a forged cursor with a clear message", async () => {
    const { services, ctx } = await withReader(buildFixture(t.db));
    await expect(services.vms.fetchPage(ctx, {}, { cursor: "not-a-cursor" })).rejects.toThrow(/no longer valid/);
  });

  it("shows a VM's details with recent history, audited as a view", async () => {
    const fixture = buildFixture(t.db);
    const vm = await fixture.addVm("detail-1", { status: "running", tags: { team: "core" }, environment: "staging" });
    const viewer = await fixture.grant(await fixture.addUser("U0LOOK", "viewer"), "staging", "viewer");
    const detail = await fixture.services.vms.getVmDetail(fixture.as(viewer), { name: "detail-1" });
    expect(detail).toMatchObject({ id: vm.id, status: "running", environment: "staging", tags: { team: "core" } });
    const entry = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "view", vmId: vm.id } });
    expect(entry.details).toMatchObject({ surface: "status" });
    await expect(fixture.services.vms.getVmDetail(fixture.as(viewer), { name: "nope" })).rejects.toThrow(/No VM named "nope"/);
  });
});

/** The fixture's services and a viewer to read with. */
async function withReader(fixture: Fixture) {
  return { services: fixture.services, ctx: fixture.as(await fixture.grantEverywhere(await fixture.addUser("U0READER", "viewer"), "viewer")) };
}
