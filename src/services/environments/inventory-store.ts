// Reads the stored inventory as specs (the same shape as the inventory file), so export, diff and the
// planner all see one model.
import type { Db } from "../prisma-types.js";
import { readinessCheckSchema, type EnvironmentSpec, type InventorySpec, type ReadinessCheck, type StandaloneVmSpec, type VmSpec } from "./model.js";

const vmInclude = {
  tags: { orderBy: { key: "asc" as const } },
  dependsOn: { include: { dependsOn: { select: { name: true } } } },
};

type StoredVm = Awaited<ReturnType<typeof loadVms>>[number];

function loadVms(db: Db, where: { groupId: number | null } | { groupId: { in: number[] } }) {
  return db.vm.findMany({ where, include: vmInclude, orderBy: [{ sequencePosition: "asc" }, { name: "asc" }] });
}

function readinessOf(stored: unknown): ReadinessCheck | undefined {
  if (stored === null || stored === undefined) return undefined;
  const parsed = readinessCheckSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

function standaloneSpec(vm: StoredVm): StandaloneVmSpec {
  return {
    name: vm.name,
    provider: vm.provider,
    region: vm.region,
    resourceId: vm.providerResourceId,
    tags: Object.fromEntries(vm.tags.map((tag) => [tag.key, tag.value])),
  };
}

function vmSpec(vm: StoredVm): VmSpec {
  const readiness = readinessOf(vm.readinessCheck);
  return {
    ...standaloneSpec(vm),
    sequence: vm.sequencePosition,
    dependsOn: vm.dependsOn.map((dependency) => dependency.dependsOn.name).sort(),
    ...(readiness ? { readiness } : {}),
  };
}

async function loadEnvironmentSpecs(db: Db, ids?: number[]): Promise<(EnvironmentSpec & { id: number })[]> {
  const environments = await db.environment.findMany({
    where: ids ? { id: { in: ids } } : {},
    orderBy: { name: "asc" },
    include: {
      groups: {
        orderBy: [{ sequencePosition: "asc" }, { name: "asc" }],
        include: { dependsOn: { include: { dependsOn: { select: { name: true } } } } },
      },
    },
  });
  const vms = await loadVms(db, { groupId: { in: environments.flatMap((environment) => environment.groups.map((group) => group.id)) } });
  return environments.map((environment) => ({
    id: environment.id,
    name: environment.name,
    ...(environment.description ? { description: environment.description } : {}),
    groups: environment.groups.map((group) => ({
      name: group.name,
      sequence: group.sequencePosition,
      settleSeconds: group.settleSeconds,
      dependsOn: group.dependsOn.map((dependency) => dependency.dependsOn.name).sort(),
      vms: vms.filter((vm) => vm.groupId === group.id).map(vmSpec),
    })),
  }));
}

export async function loadInventory(db: Db): Promise<InventorySpec> {
  const environments = await loadEnvironmentSpecs(db);
  const standalone = await db.vm.findMany({ where: { groupId: null }, include: vmInclude, orderBy: { name: "asc" } });
  return {
    environments: environments.map(({ id: _id, ...environment }) => environment),
    vms: standalone.map(standaloneSpec),
  };
}
