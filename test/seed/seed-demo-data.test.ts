import { expect, it } from "vitest";
import { SimulatorProvider } from "../../src/providers/simulator/simulator-provider.js";
import { isDatabaseEmpty, seedDemoData } from "../../src/seed/seed-demo-data.js";
import { describeEachDatabase } from "../support/databases.js";

const NOW = new Date("2025-03-07T15:00:00.000Z");
const WEEK = 7 * 24 * 60 * 60_000;
function groupBy<T>(items: T[], key: (item: T) => string): Record<string, T[]> {
  const groups: Record<string, T[]> = {};
  for (const item of items) (groups[key(item)] ??= []).push(item);
  return groups;
}

const ACTIONS = ["login", "logout", "view", "vm_start", "vm_stop", "reboot", "delete", "snapshot_created", "snapshot_deleted", "snapshot_restored"];

describeEachDatabase("seedDemoData", (t) => {
  async function tableCounts() {
    const p = t.db.prisma;
    return {
      users: await p.user.count(),
      environments: await p.environment.count(),
      environmentAccess: await p.environmentAccess.count(),
      groups: await p.vmGroup.count(),
      groupDependencies: await p.groupDependency.count(),
      vms: await p.vm.count(),
      vmTags: await p.vmTag.count(),
      vmDependencies: await p.vmDependency.count(),
      simulatedInstances: await p.simulatedInstance.count(),
      snapshots: await p.snapshot.count(),
      simulatedSnapshots: await p.simulatedSnapshot.count(),
      auditLogs: await p.auditLog.count(),
    };
  }

  it("loads the demo data and reports what it added", async () => {
    expect(await isDatabaseEmpty(t.db.prisma)).toBe(true);
    const result = await seedDemoData(t.db.prisma, { now: NOW });
    expect(result.changed).toBe(true);
    expect(result.created).toEqual(await tableCounts());
    expect(result.created).toMatchObject({
      users: 4,
      environments: 3,
      groups: 9,
      groupDependencies: 6,
      vms: 30,
      vmTags: 120,
      simulatedInstances: 30,
      snapshots: 9,
      simulatedSnapshots: 9,
    });
    expect(result.created.vmDependencies).toBeGreaterThan(5);
    expect(result.created.auditLogs).toBeGreaterThanOrEqual(200);
    expect(result.created.auditLogs).toBeLessThanOrEqual(600);
    expect(await isDatabaseEmpty(t.db.prisma)).toBe(false);
  });

  it("creates one user per role in the demo workspace", async () => {
    await seedDemoData(t.db.prisma, { now: NOW });
    const users = await t.db.prisma.user.findMany({ orderBy: { slackUserId: "asc" } });
    expect(users.map((user) => [user.slackUserId, user.role])).toEqual([
      ["U0DEMOADMIN", "admin"],
      ["U0DEMOOPS1", "operator"],
      ["U0DEMOOPS2", "operator"],
      ["U0DEMOVIEW", "viewer"],
    ]);
    for (const user of users) {
      expect(user.teamId).toBe("T0DEMO0001");
      expect(user.displayName).toBeTruthy();
      expect(user.email).toMatch(/@example\.com$/);
    }
  });

  it("layers every environment database -> app -> web", async () => {
    await seedDemoData(t.db.prisma, { now: NOW });
    const environments = await t.db.prisma.environment.findMany({
      include: { groups: { orderBy: { sequencePosition: "asc" }, include: { dependsOn: { include: { dependsOn: true } } } } },
      orderBy: { name: "asc" },
    });
    expect(environments.map((environment) => environment.name)).toEqual(["demo", "production", "staging"]);
    for (const environment of environments) {
      expect(environment.groups.map((group) => [group.name, group.sequencePosition])).toEqual([["database", 0], ["app", 1], ["web", 2]]);
      expect(environment.groups.map((group) => group.dependsOn.map((dependency) => dependency.dependsOn.name))).toEqual([[], ["database"], ["app"]]);
    }
  });

  it("pairs every VM with a simulated machine of the same id, provider and state, over all five kinds", async () => {
    await seedDemoData(t.db.prisma, { now: NOW });
    const vms = await t.db.prisma.vm.findMany({ include: { tags: true } });
    const instances = new Map((await t.db.prisma.simulatedInstance.findMany()).map((instance) => [instance.resourceId, instance]));
    for (const vm of vms) {
      const instance = instances.get(vm.providerResourceId);
      expect(instance, vm.name).toBeDefined();
      expect(instance).toMatchObject({ provider: vm.provider, name: vm.name, region: vm.region, state: vm.status });
      expect(vm.tags.map((tag) => tag.key).sort()).toEqual(["env", "owner", "team", "tier"]);
      expect(vm.details).toMatchObject({ instanceType: expect.any(String), cpu: expect.any(Number), memoryGb: expect.any(Number), diskGb: expect.any(Number), privateIp: expect.any(String) });
    }
    const byProvider = groupBy(vms, (vm) => vm.provider);
    expect(Object.keys(byProvider).sort()).toEqual(["aws", "azure", "gcp", "oci", "simulator"]);
    for (const group of Object.values(byProvider)) expect(group!.length).toBeGreaterThanOrEqual(4);
    const statuses = groupBy(vms, (vm) => vm.status);
    expect(statuses.running!.length).toBeGreaterThan(10);
    expect(statuses.stopped!.length).toBeGreaterThan(5);
    expect(statuses.error).toHaveLength(1);
    const [broken] = statuses.error!;
    expect(broken!.statusMessage).toMatch(/^ZONE_RESOURCE_POOL_EXHAUSTED/);
    expect(instances.get(broken!.providerResourceId)!.stateMessage).toBe(broken!.statusMessage);
  });

  it("lets demo mode act on the seeded machines, including the one that cannot start", async () => {
    await seedDemoData(t.db.prisma, { now: NOW });
    const clock = { time: NOW.getTime() };
    const simulator = (kind: "oci" | "simulator") =>
      new SimulatorProvider({ prisma: t.db.prisma, kind, latencyMs: 1000, jitterMs: 0, failureRate: 0, throttleRate: 0, now: () => new Date(clock.time) });
    const gpu = await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "ml-train-gpu-1" } });
    const api = await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "demo-api-2" } });
    await simulator("oci").startInstance(gpu.providerResourceId);
    await simulator("simulator").startInstance(api.providerResourceId);
    clock.time += 1000;
    expect(await simulator("oci").describeInstance(gpu.providerResourceId)).toMatchObject({ state: "error", stateMessage: "InternalError: Out of host capacity." });
    expect((await simulator("simulator").describeInstance(api.providerResourceId)).state).toBe("running");
  });

  it("stores each snapshot in the bot's table and in the simulated cloud", async () => {
    await seedDemoData(t.db.prisma, { now: NOW });
    const snapshots = await t.db.prisma.snapshot.findMany({ include: { vm: true } });
    const simulated = new Map((await t.db.prisma.simulatedSnapshot.findMany()).map((snapshot) => [snapshot.snapshotId, snapshot]));
    for (const snapshot of snapshots) {
      expect(snapshot.status).toBe("available");
      expect(simulated.get(snapshot.providerSnapshotId!)).toMatchObject({ resourceId: snapshot.vm!.providerResourceId, name: snapshot.name, state: "available", sizeGb: snapshot.sizeGb });
    }
  });

  it("writes a week of audit history with refusals, failures and every source", async () => {
    await seedDemoData(t.db.prisma, { now: NOW });
    const rows = await t.db.prisma.auditLog.findMany();
    for (const row of rows) {
      expect(ACTIONS).toContain(row.action);
      expect(row.at.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(row.at.getTime()).toBeGreaterThan(NOW.getTime() - WEEK);
      if (row.vmId !== null || row.action === "delete") expect(row.vmName).toBeTruthy();
    }
    const distinct = (values: string[]) => [...new Set(values)].sort();
    expect(distinct(rows.map((row) => row.outcome))).toEqual(["denied", "failed", "succeeded"]);
    expect(distinct(rows.map((row) => row.source))).toEqual(expect.arrayContaining(["schedule", "slack_button", "slack_command", "slack_modal"]));
    expect(distinct(rows.map((row) => row.action))).toEqual(expect.arrayContaining(["login", "logout", "view", "vm_start", "vm_stop", "reboot", "snapshot_created", "snapshot_restored"]));
    const days = distinct(rows.map((row) => row.at.toISOString().slice(0, 10)));
    expect(days.length).toBe(7);
  });

  it("changes nothing on a second run, and says so", async () => {
    await seedDemoData(t.db.prisma, { now: NOW });
    const before = await tableCounts();
    const vmsBefore = await t.db.prisma.vm.findMany({ orderBy: { id: "asc" } });
    const again = await seedDemoData(t.db.prisma, { now: new Date(NOW.getTime() + 60 * 60_000) });
    expect(again.changed).toBe(false);
    expect(Object.values(again.created).every((count) => count === 0)).toBe(true);
    expect(await tableCounts()).toEqual(before);
    expect(await t.db.prisma.vm.findMany({ orderBy: { id: "asc" } })).toEqual(vmsBefore);
  });

  it("fills in what is missing without touching the rest", async () => {
    await seedDemoData(t.db.prisma, { now: NOW });
    await t.db.prisma.vm.delete({ where: { name: "demo-web-1" } });
    const result = await seedDemoData(t.db.prisma, { now: NOW });
    expect(result.created).toMatchObject({ vms: 1, vmTags: 4, vmDependencies: 1, simulatedInstances: 0, auditLogs: 0 });
  });

  it("starts over with reset", async () => {
    const first = await seedDemoData(t.db.prisma, { now: NOW });
    await t.db.prisma.user.create({ data: { teamId: "T0REAL", slackUserId: "U0SOMEONE", role: "viewer" } });
    await t.db.prisma.vm.update({ where: { name: "prod-web-1" }, data: { status: "stopped" } });
    await t.db.prisma.simulatedInstance.create({ data: { resourceId: "sim-stray", name: "stray", region: "sim-1", state: "running" } });

    const reset = await seedDemoData(t.db.prisma, { now: NOW, reset: true });
    expect(reset).toMatchObject({ reset: true, changed: true, created: first.created });
    expect(await tableCounts()).toEqual(first.created);
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "prod-web-1" } })).status).toBe("running");
    expect(await t.db.prisma.user.findFirst({ where: { slackUserId: "U0SOMEONE" } })).toBeNull();
  });
});
