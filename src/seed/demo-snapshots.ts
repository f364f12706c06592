// A few snapshots of some demo VMs, in the bot's table and in the simulated cloud alike.
import type { PrismaClient } from "../db/database.js";
import { flavourOf } from "../providers/simulator/flavours/index.js";
import { seededRandom } from "../providers/simulator/random-ids.js";
import type { SeedCounts } from "./seed-counts.js";
import type { SeededVm } from "./seed-vms.js";

export interface DemoSnapshot {
  vm: string;
  name: string;
  daysAgo: number;
  createdBy: string;
}

export const DEMO_SNAPSHOTS: readonly DemoSnapshot[] = [
  { vm: "prod-db-primary", name: "before-pg16-upgrade", daysAgo: 5, createdBy: "U0DEMOADMIN" },
  { vm: "prod-db-primary", name: "nightly-2", daysAgo: 2, createdBy: "U0DEMOOPS1" },
  { vm: "prod-db-primary", name: "nightly-1", daysAgo: 1, createdBy: "U0DEMOOPS1" },
  { vm: "prod-api-1", name: "release-1.4.0", daysAgo: 4, createdBy: "U0DEMOOPS2" },
  { vm: "stg-db-1", name: "before-schema-migration", daysAgo: 3, createdBy: "U0DEMOOPS2" },
  { vm: "demo-db-1", name: "demo-baseline", daysAgo: 6, createdBy: "U0DEMOADMIN" },
  { vm: "demo-db-1", name: "after-demo-reset", daysAgo: 1, createdBy: "U0DEMOADMIN" },
  { vm: "demo-api-1", name: "release-1.4.0", daysAgo: 4, createdBy: "U0DEMOOPS1" },
  { vm: "ci-runner-1", name: "golden-image", daysAgo: 6, createdBy: "U0DEMOOPS1" },
];

const DAY_MS = 24 * 60 * 60_000;

export async function seedSnapshots(
  prisma: PrismaClient,
  counts: SeedCounts,
  vms: Map<string, SeededVm>,
  userIds: Map<string, number>,
  now: Date,
): Promise<void> {
  for (const snapshot of DEMO_SNAPSHOTS) {
    const vm = vms.get(snapshot.vm);
    if (!vm) throw new Error(`Demo snapshot ${snapshot.name} names unknown VM ${snapshot.vm}`);
    const snapshotId = flavourOf(vm.provider).snapshotId(snapshot.name, vm.region, seededRandom(`demo-snapshot:${vm.name}:${snapshot.name}`));
    // Taken at night, a few minutes to complete.
    const createdAt = new Date(now.getTime() - snapshot.daysAgo * DAY_MS - 3 * 60 * 60_000);
    const completedAt = new Date(createdAt.getTime() + 4 * 60_000);

    if (!(await prisma.snapshot.findFirst({ where: { vmId: vm.id, name: snapshot.name } }))) {
      await prisma.snapshot.create({
        data: {
          vmId: vm.id,
          name: snapshot.name,
          providerSnapshotId: snapshotId,
          status: "available",
          sizeGb: vm.diskGb,
          createdById: userIds.get(snapshot.createdBy) ?? null,
          createdAt,
          completedAt,
        },
      });
      counts.snapshots++;
    }
    if (!(await prisma.simulatedSnapshot.findUnique({ where: { snapshotId } }))) {
      await prisma.simulatedSnapshot.create({
        data: { snapshotId, resourceId: vm.resourceId, name: snapshot.name, state: "available", sizeGb: vm.diskGb, createdAt },
      });
      counts.simulatedSnapshots++;
    }
  }
}
