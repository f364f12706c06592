// The demo inventory (three environments, each started in layers: database, then app, then web, and
// stopped in reverse; plus the VMs outside any environment) lives in inventory/demo.yml, the same
// inventory-as-code file an operator would apply. The seed applies it; demo-vms.ts adds what only
// the demo needs (states, sizes, simulated machines).
import { readFileSync } from "node:fs";
import type { PrismaClient } from "../db/database.js";
import { applyInventory } from "../services/environments/inventory-apply.js";
import { parseInventoryFile } from "../services/environments/inventory-file.js";
import type { SeedCounts } from "./seed-counts.js";

export const DEMO_GROUPS = ["database", "app", "web"] as const;
export type DemoGroup = (typeof DEMO_GROUPS)[number];

export const DEMO_ENVIRONMENTS = [
  { name: "production", description: "Customer-facing services (us-east)" },
  { name: "staging", description: "Release candidates, refreshed from production weekly (eu-west)" },
  { name: "demo", description: "Sales demos and trainings; safe to break" },
] as const;
export type DemoEnvironment = (typeof DEMO_ENVIRONMENTS)[number]["name"];

export const DEMO_INVENTORY_FILE = new URL("../../inventory/demo.yml", import.meta.url);

async function inventoryRowCounts(prisma: PrismaClient) {
  return {
    environments: await prisma.environment.count(),
    groups: await prisma.vmGroup.count(),
    groupDependencies: await prisma.groupDependency.count(),
    vms: await prisma.vm.count(),
    vmTags: await prisma.vmTag.count(),
    vmDependencies: await prisma.vmDependency.count(),
  };
}

/**
 * Applies inventory/demo.yml without pruning (what an operator added stays), counting the rows it
 * added. Returns the names of the VMs it created, which the seed then gives their demo state.
 */
export async function seedInventory(prisma: PrismaClient, counts: SeedCounts): Promise<Set<string>> {
  const declared = parseInventoryFile(readFileSync(DEMO_INVENTORY_FILE, "utf8"), "inventory/demo.yml");
  const before = await inventoryRowCounts(prisma);
  const { changes } = await applyInventory(prisma, declared);
  const after = await inventoryRowCounts(prisma);
  for (const table of Object.keys(after) as (keyof typeof after)[]) counts[table] += Math.max(0, after[table] - before[table]);
  return new Set(changes.filter((change) => change.entity === "vm" && change.kind === "added").map((change) => change.name));
}
