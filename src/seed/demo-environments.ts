// Three environments, each started in layers: database, then app, then web (and stopped in reverse).
import type { PrismaClient } from "../db/database.js";
import type { SeedCounts } from "./seed-counts.js";

export const DEMO_GROUPS = ["database", "app", "web"] as const;
export type DemoGroup = (typeof DEMO_GROUPS)[number];

export const DEMO_ENVIRONMENTS = [
  { name: "production", description: "Customer-facing services (us-east)" },
  { name: "staging", description: "Release candidates, refreshed from production weekly (eu-west)" },
  { name: "demo", description: "Sales demos and trainings; safe to break" },
] as const;
export type DemoEnvironment = (typeof DEMO_ENVIRONMENTS)[number]["name"];

/** Each group needs the one before it: app depends on database, web on app. */
const GROUP_DEPENDENCIES: readonly [DemoGroup, DemoGroup][] = [
  ["app", "database"],
  ["web", "app"],
];

export interface SeededEnvironment {
  id: number;
  groupIds: Map<DemoGroup, number>;
}

export async function seedEnvironments(prisma: PrismaClient, counts: SeedCounts): Promise<Map<DemoEnvironment, SeededEnvironment>> {
  const seeded = new Map<DemoEnvironment, SeededEnvironment>();
  for (const { name, description } of DEMO_ENVIRONMENTS) {
    let environment = await prisma.environment.findUnique({ where: { name } });
    if (!environment) {
      environment = await prisma.environment.create({ data: { name, description } });
      counts.environments++;
    }
    const groupIds = new Map<DemoGroup, number>();
    for (const [position, groupName] of DEMO_GROUPS.entries()) {
      const key = { environmentId: environment.id, name: groupName };
      let group = await prisma.vmGroup.findUnique({ where: { environmentId_name: key } });
      if (!group) {
        group = await prisma.vmGroup.create({ data: { ...key, sequencePosition: position } });
        counts.groups++;
      }
      groupIds.set(groupName, group.id);
    }
    for (const [dependent, required] of GROUP_DEPENDENCIES) {
      const key = { groupId: groupIds.get(dependent)!, dependsOnGroupId: groupIds.get(required)! };
      if (await prisma.groupDependency.findUnique({ where: { groupId_dependsOnGroupId: key } })) continue;
      await prisma.groupDependency.create({ data: key });
      counts.groupDependencies++;
    }
    seeded.set(name, { id: environment.id, groupIds });
  }
  return seeded;
}
