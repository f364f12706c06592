// Inventory as code: make the stored inventory match a declared one. The result is validated whole
// before anything is written, only what differs is written (a second apply changes nothing), and a
// dry run returns the same diff without writing. Without `prune`, what the file does not mention is
// kept; with it, removed.
// Prisma.DbNull is one runtime object shared by the SQLite and PostgreSQL clients.
import { Prisma } from "../../generated/sqlite/client.js";
import type { Db, PrismaClient } from "../prisma-types.js";
import { loadInventory } from "./inventory-store.js";
import type { EnvironmentSpec, GroupSpec, InventorySpec, StandaloneVmSpec, VmSpec } from "./model.js";
import { assertValidInventory } from "./validation.js";

export type ChangeKind = "added" | "changed" | "removed";

export interface InventoryChange {
  kind: ChangeKind;
  entity: "environment" | "group" | "vm";
  /** `env`, `env/group` or the VM's name. */
  name: string;
  /** For `changed`: one line per field, "region: a -> b". */
  fields: string[];
}

export interface ApplyResult {
  changes: InventoryChange[];
  dryRun: boolean;
}

/** A VM wherever it lives: in a group of an environment, or standalone. */
interface PlacedVm {
  spec: VmSpec;
  environment: string | null;
  group: string | null;
}

function placedVms(inventory: InventorySpec): Map<string, PlacedVm> {
  const placed = new Map<string, PlacedVm>();
  for (const environment of inventory.environments) {
    for (const group of environment.groups) {
      for (const vm of group.vms) placed.set(vm.name, { spec: vm, environment: environment.name, group: group.name });
    }
  }
  for (const vm of inventory.vms) placed.set(vm.name, { spec: { ...vm, sequence: 0, dependsOn: [] }, environment: null, group: null });
  return placed;
}

/** The declared inventory plus, unless pruning, everything stored that it does not mention. */
export function mergeInventory(current: InventorySpec, declared: InventorySpec, prune: boolean): InventorySpec {
  if (prune) return declared;
  const declaredVms = new Set(placedVms(declared).keys());
  const undeclared = (vms: VmSpec[]) => vms.filter((vm) => !declaredVms.has(vm.name));
  const keptGroup = (group: GroupSpec): GroupSpec => ({ ...group, vms: undeclared(group.vms) });
  const environments: EnvironmentSpec[] = declared.environments.map((environment) => {
    const stored = current.environments.find((candidate) => candidate.name === environment.name);
    const groups = environment.groups.map((group) => {
      const storedGroup = stored?.groups.find((candidate) => candidate.name === group.name);
      return { ...group, vms: [...group.vms, ...undeclared(storedGroup?.vms ?? [])] };
    });
    const keptGroups = (stored?.groups ?? []).filter((group) => !environment.groups.some((candidate) => candidate.name === group.name)).map(keptGroup);
    return { ...environment, groups: [...groups, ...keptGroups] };
  });
  for (const stored of current.environments) {
    if (!declared.environments.some((environment) => environment.name === stored.name)) environments.push({ ...stored, groups: stored.groups.map(keptGroup) });
  }
  const vms: StandaloneVmSpec[] = [...declared.vms, ...current.vms.filter((vm) => !declaredVms.has(vm.name))];
  return { environments, vms };
}

const show = (value: unknown) => (value === undefined ? "none" : typeof value === "string" ? value : JSON.stringify(value));

function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after)
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => `${key}: ${show(before[key])} -> ${show(after[key])}`);
}

function vmFields(vm: PlacedVm): Record<string, unknown> {
  const { spec } = vm;
  return {
    environment: vm.environment ?? undefined,
    group: vm.group ?? undefined,
    sequence: spec.sequence,
    provider: spec.provider,
    region: spec.region,
    resourceId: spec.resourceId,
    tags: Object.fromEntries(Object.entries(spec.tags).sort(([a], [b]) => a.localeCompare(b))),
    dependsOn: [...spec.dependsOn].sort(),
    readiness: spec.readiness,
  };
}

function groupFields(group: GroupSpec): Record<string, unknown> {
  return { sequence: group.sequence, settleSeconds: group.settleSeconds, dependsOn: [...group.dependsOn].sort() };
}

export function diffInventory(current: InventorySpec, next: InventorySpec): InventoryChange[] {
  const changes: InventoryChange[] = [];
  const compare = <T>(entity: InventoryChange["entity"], before: Map<string, T>, after: Map<string, T>, fields: (item: T) => Record<string, unknown>) => {
    for (const [name, item] of after) {
      const old = before.get(name);
      if (!old) changes.push({ kind: "added", entity, name, fields: [] });
      else {
        const changed = fieldChanges(fields(old), fields(item));
        if (changed.length) changes.push({ kind: "changed", entity, name, fields: changed });
      }
    }
    for (const name of before.keys()) if (!after.has(name)) changes.push({ kind: "removed", entity, name, fields: [] });
  };
  const environments = (inventory: InventorySpec) => new Map(inventory.environments.map((environment) => [environment.name, environment]));
  const groups = (inventory: InventorySpec) =>
    new Map(inventory.environments.flatMap((environment) => environment.groups.map((group) => [`${environment.name}/${group.name}`, group] as const)));
  compare("environment", environments(current), environments(next), (environment) => ({ description: environment.description }));
  compare("group", groups(current), groups(next), groupFields);
  compare("vm", placedVms(current), placedVms(next), vmFields);
  return changes;
}

export function formatChanges(changes: InventoryChange[]): string {
  if (!changes.length) return "No changes: the stored inventory already matches.";
  const sign: Record<ChangeKind, string> = { added: "+", changed: "~", removed: "-" };
  const lines = changes.map((change) => `${sign[change.kind]} ${change.entity} ${change.name}${change.fields.length ? `\n    ${change.fields.join("\n    ")}` : ""}`);
  const count = (kind: ChangeKind) => changes.filter((change) => change.kind === kind).length;
  return `${lines.join("\n")}\n${count("added")} added, ${count("changed")} changed, ${count("removed")} removed.`;
}

export async function applyInventory(prisma: PrismaClient, declared: InventorySpec, options: { dryRun?: boolean; prune?: boolean } = {}): Promise<ApplyResult> {
  return applyInventoryUpdate(prisma, (current) => mergeInventory(current, declared, options.prune ?? false), options);
}

/**
 * The one way the stored inventory changes: `nextOf` turns the stored inventory (read inside the
 * transaction) into the wanted one, which is validated, diffed and (unless a dry run) written.
 */
export async function applyInventoryUpdate(prisma: PrismaClient, nextOf: (current: InventorySpec) => InventorySpec, options: { dryRun?: boolean } = {}): Promise<ApplyResult> {
  const dryRun = options.dryRun ?? false;
  return prisma.$transaction(
    async (tx) => {
      const current = await loadInventory(tx);
      const next = nextOf(current);
      assertValidInventory(next);
      const changes = diffInventory(current, next);
      if (!dryRun && changes.length) await writeChanges(tx, next, changes);
      return { changes, dryRun };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

async function writeChanges(tx: Db, next: InventorySpec, changes: InventoryChange[]): Promise<void> {
  const touched = (entity: InventoryChange["entity"], kinds: ChangeKind[] = ["added", "changed"]) =>
    new Set(changes.filter((change) => change.entity === entity && kinds.includes(change.kind)).map((change) => change.name));
  const removedVms = touched("vm", ["removed"]);
  const changedVms = touched("vm");
  const changedGroups = touched("group");
  const changedEnvironments = touched("environment");

  // Removed VMs go first, so a VM declared anew with the same resource id does not collide.
  if (removedVms.size) await tx.vm.deleteMany({ where: { name: { in: [...removedVms] } } });

  const environmentIds = new Map<string, number>();
  const groupIds = new Map<string, number>();
  for (const environment of next.environments) {
    const data = { description: environment.description ?? null };
    const stored = changedEnvironments.has(environment.name)
      ? await tx.environment.upsert({ where: { name: environment.name }, create: { name: environment.name, ...data }, update: data })
      : await tx.environment.findUniqueOrThrow({ where: { name: environment.name } });
    environmentIds.set(environment.name, stored.id);
    for (const group of environment.groups) {
      const key = `${environment.name}/${group.name}`;
      const fields = { sequencePosition: group.sequence, settleSeconds: group.settleSeconds };
      const where = { environmentId_name: { environmentId: stored.id, name: group.name } };
      const storedGroup = changedGroups.has(key)
        ? await tx.vmGroup.upsert({ where, create: { environmentId: stored.id, name: group.name, ...fields }, update: fields })
        : await tx.vmGroup.findUniqueOrThrow({ where });
      groupIds.set(key, storedGroup.id);
    }
  }

  const placed = placedVms(next);
  const vmIds = new Map<string, number>();
  for (const [name, vm] of placed) {
    if (!changedVms.has(name)) continue;
    const data = {
      provider: vm.spec.provider,
      region: vm.spec.region,
      providerResourceId: vm.spec.resourceId,
      groupId: vm.group ? groupIds.get(`${vm.environment}/${vm.group}`)! : null,
      sequencePosition: vm.spec.sequence,
      readinessCheck: vm.spec.readiness ?? undefined,
    };
    const stored = await tx.vm.upsert({ where: { name }, create: { name, ...data }, update: { ...data, readinessCheck: vm.spec.readiness ?? Prisma.DbNull } });
    vmIds.set(name, stored.id);
    await tx.vmTag.deleteMany({ where: { vmId: stored.id, key: { notIn: Object.keys(vm.spec.tags) } } });
    for (const [key, value] of Object.entries(vm.spec.tags)) {
      await tx.vmTag.upsert({ where: { vmId_key: { vmId: stored.id, key } }, create: { vmId: stored.id, key, value }, update: { value } });
    }
  }
  const idOfVm = async (name: string) => vmIds.get(name) ?? (await tx.vm.findUniqueOrThrow({ where: { name }, select: { id: true } })).id;
  for (const name of changedVms) {
    const vmId = vmIds.get(name)!;
    await tx.vmDependency.deleteMany({ where: { vmId } });
    for (const required of placed.get(name)!.spec.dependsOn) await tx.vmDependency.create({ data: { vmId, dependsOnVmId: await idOfVm(required) } });
  }
  for (const environment of next.environments) {
    for (const group of environment.groups) {
      const key = `${environment.name}/${group.name}`;
      if (!changedGroups.has(key)) continue;
      const groupId = groupIds.get(key)!;
      await tx.groupDependency.deleteMany({ where: { groupId } });
      for (const required of group.dependsOn) await tx.groupDependency.create({ data: { groupId, dependsOnGroupId: groupIds.get(`${environment.name}/${required}`)! } });
    }
  }

  for (const change of changes) {
    if (change.kind !== "removed" || change.entity !== "group") continue;
    const [environment, group] = change.name.split("/") as [string, string];
    await tx.vmGroup.deleteMany({ where: { name: group, environment: { name: environment } } });
  }
  const removedEnvironments = [...touched("environment", ["removed"])];
  if (removedEnvironments.length) await tx.environment.deleteMany({ where: { name: { in: removedEnvironments } } });
}

