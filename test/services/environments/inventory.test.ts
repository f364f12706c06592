// Inventory as code: apply (idempotent), dry run (the diff, nothing written), prune, export round trip,
// and file errors that point at the line and column.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { applyInventory, formatChanges } from "../../../src/services/environments/inventory-apply.js";
import { formatInventoryFile, InventoryFileError, parseInventoryFile } from "../../../src/services/environments/inventory-file.js";
import { loadInventory } from "../../../src/services/environments/inventory-store.js";
import { InvalidEnvironmentError } from "../../../src/services/environments/validation.js";
import { DEMO_INVENTORY_FILE } from "../../../src/seed/demo-environments.js";
import { seedDemoData } from "../../../src/seed/seed-demo-data.js";
import { describeEachDatabase } from "../../support/databases.js";

const SHOP = `
environments:
  - name: shop
    description: The web shop
    groups:
      - name: database
        settleSeconds: 5
        vms:
          - { name: db-1, provider: simulator, region: sim-1, resourceId: sim-db-1, tags: { team: data } }
          - name: db-2
            provider: simulator
            region: sim-1
            resourceId: sim-db-2
            dependsOn: [db-1]
            readiness: { tcp: { host: 127.0.0.1, port: 5432 }, timeoutSeconds: 30 }
      - name: app
        dependsOn: [database]
        vms:
          - { name: api-1, provider: aws, region: eu-west-1, resourceId: i-0abc, readiness: { http: { url: "http://127.0.0.1:8080/health" } } }
vms:
  - { name: bastion, provider: aws, region: eu-west-1, resourceId: i-0bastion, tags: { team: platform } }
`;

it("points at the line and column of a YAML syntax error and of each schema problem", () => {
  expect(() => parseInventoryFile("environments:\n  - name: shop\n   groups: [", "bad.yml")).toThrow(/^bad\.yml:3:\d+ /);
  const wrong = SHOP.replace("provider: aws, region: eu-west-1, resourceId: i-0abc", "provider: amazon, region: eu-west-1, resourceId: i-0abc").replace("settleSeconds: 5", "settleSeconds: -1");
  let error: InventoryFileError | undefined;
  try {
    parseInventoryFile(wrong, "shop.yml");
  } catch (caught) {
    error = caught as InventoryFileError;
  }
  expect(error).toBeInstanceOf(InventoryFileError);
  expect(error!.problems).toHaveLength(2);
  expect(error!.problems[0]).toMatch(/^shop\.yml:7:24 environments\[0\]\.groups\[0\]\.settleSeconds: /);
  expect(error!.problems[1]).toMatch(/^shop\.yml:19:38 environments\[0\]\.groups\[1\]\.vms\[0\]\.provider: Invalid option/);
  expect(() => parseInventoryFile("environments:\n  - name: shop\n    colour: blue\n", "x.yml")).toThrow(/^x\.yml:2:5 environments\[0\]: Unrecognized key: "colour"/);
});

it("defaults sequence positions to the order in the file", () => {
  const spec = parseInventoryFile(SHOP);
  expect(spec.environments[0]!.groups.map((group) => [group.name, group.sequence])).toEqual([["database", 0], ["app", 1]]);
  expect(spec.environments[0]!.groups[0]!.vms.map((vm) => [vm.name, vm.sequence])).toEqual([["db-1", 0], ["db-2", 1]]);
});

describeEachDatabase("inventory apply", (t) => {
  it("applies a file, and a second apply changes nothing (not even a timestamp)", async () => {
    const first = await applyInventory(t.db.prisma, parseInventoryFile(SHOP));
    expect(first.changes.map((change) => `${change.kind} ${change.entity} ${change.name}`)).toEqual([
      "added environment shop",
      "added group shop/database",
      "added group shop/app",
      "added vm db-1",
      "added vm db-2",
      "added vm api-1",
      "added vm bastion",
    ]);
    const db2 = await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "db-2" }, include: { dependsOn: { include: { dependsOn: true } }, group: { include: { dependsOn: true } } } });
    expect(db2.dependsOn.map((dependency) => dependency.dependsOn.name)).toEqual(["db-1"]);
    expect(db2.readinessCheck).toEqual({ tcp: { host: "127.0.0.1", port: 5432 }, timeoutSeconds: 30 });
    expect(db2.group!.settleSeconds).toBe(5);
    const snapshot = async () => ({
      vms: await t.db.prisma.vm.findMany({ orderBy: { id: "asc" } }),
      tags: await t.db.prisma.vmTag.findMany({ orderBy: [{ vmId: "asc" }, { key: "asc" }] }),
      groups: await t.db.prisma.vmGroup.findMany({ orderBy: { id: "asc" } }),
      environments: await t.db.prisma.environment.findMany({ orderBy: { id: "asc" } }),
    });
    const before = await snapshot();
    const second = await applyInventory(t.db.prisma, parseInventoryFile(SHOP));
    expect(second.changes).toEqual([]);
    expect(formatChanges(second.changes)).toBe("No changes: the stored inventory already matches.");
    expect(await snapshot()).toEqual(before);
  });

  it("dry run prints what would be added, changed and removed, and writes nothing", async () => {
    await applyInventory(t.db.prisma, parseInventoryFile(SHOP));
    const edited = SHOP.replace("settleSeconds: 5", "settleSeconds: 10")
      .replace("region: sim-1, resourceId: sim-db-1, tags: { team: data }", "region: sim-2, resourceId: sim-db-1, tags: { team: data }")
      .replace("vms:\n  - { name: bastion, provider: aws, region: eu-west-1, resourceId: i-0bastion, tags: { team: platform } }", "vms:\n  - { name: jump, provider: aws, region: eu-west-1, resourceId: i-0jump }");
    const before = await loadInventory(t.db.prisma);
    const dry = await applyInventory(t.db.prisma, parseInventoryFile(edited), { dryRun: true, prune: true });
    expect(formatChanges(dry.changes)).toBe(
      [
        "~ group shop/database",
        "    settleSeconds: 5 -> 10",
        "~ vm db-1",
        "    region: sim-1 -> sim-2",
        "+ vm jump",
        "- vm bastion",
        "1 added, 2 changed, 1 removed.",
      ].join("\n"),
    );
    expect(await loadInventory(t.db.prisma)).toEqual(before);

    // Without --prune, what the file no longer mentions stays.
    const kept = await applyInventory(t.db.prisma, parseInventoryFile(edited));
    expect(kept.changes.filter((change) => change.kind === "removed")).toEqual([]);
    expect(await t.db.prisma.vm.count({ where: { name: { in: ["bastion", "jump"] } } })).toBe(2);
    const pruned = await applyInventory(t.db.prisma, parseInventoryFile(edited), { prune: true });
    expect(pruned.changes.map((change) => `${change.kind} ${change.name}`)).toEqual(["removed bastion"]);
    expect(await t.db.prisma.vm.findUnique({ where: { name: "bastion" } })).toBeNull();
  });

  it("rejects an invalid result whole, naming the cycle, and writes nothing", async () => {
    const cyclic = SHOP.replace("      - name: database\n", "      - name: database\n        dependsOn: [app]\n");
    await expect(applyInventory(t.db.prisma, parseInventoryFile(cyclic))).rejects.toThrow(
      new InvalidEnvironmentError(["Environment shop: group dependency cycle: database -> app -> database."]),
    );
    expect(await t.db.prisma.environment.count()).toBe(0);
    expect(await t.db.prisma.vm.count()).toBe(0);
  });

  it("exports the stored inventory in the same format: applying the export changes nothing", async () => {
    await applyInventory(t.db.prisma, parseInventoryFile(SHOP));
    const exported = formatInventoryFile(await loadInventory(t.db.prisma));
    expect(parseInventoryFile(exported)).toEqual(await loadInventory(t.db.prisma));
    expect((await applyInventory(t.db.prisma, parseInventoryFile(exported), { prune: true })).changes).toEqual([]);
  });

  it("the seed loads inventory/demo.yml: the stored inventory is exactly the file", async () => {
    await seedDemoData(t.db.prisma, { now: new Date("2025-03-07T15:00:00.000Z") });
    const file = parseInventoryFile(readFileSync(DEMO_INVENTORY_FILE, "utf8"));
    expect((await applyInventory(t.db.prisma, file, { dryRun: true, prune: true })).changes).toEqual([]);
  });
});
