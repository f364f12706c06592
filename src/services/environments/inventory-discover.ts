// Discovery: the instances each configured cloud finds by its discovery tags, merged into the stored
// inventory through the same validate / diff / write path as the inventory file. Nothing is removed and
// environments and groups are left alone: a known VM (same provider and resource id) keeps its name and
// place and takes the cloud's region and tags; an unknown one is added outside any environment.
import type { CloudInstance, ProviderKind, ProviderRegistry } from "../../providers/cloud-provider.js";
import type { PrismaClient } from "../prisma-types.js";
import { applyInventoryUpdate, type ApplyResult } from "./inventory-apply.js";
import type { InventorySpec, StandaloneVmSpec } from "./model.js";

export interface DiscoveredInstance {
  provider: ProviderKind;
  instance: CloudInstance;
}

const MAX_NAME = 63;

/** Gone or going: EC2 and OCI keep listing terminated instances for a while after they are deleted. */
function isTerminated(instance: CloudInstance): boolean {
  return ["terminated", "terminating", "shutting-down"].includes(instance.providerState.toLowerCase());
}

/** Every tagged instance of every configured cloud (simulators have nothing to discover). */
export async function listTaggedInstances(registry: ProviderRegistry): Promise<DiscoveredInstance[]> {
  const found: DiscoveredInstance[] = [];
  for (const provider of registry.kinds()) {
    if (provider === "simulator") continue;
    for (const instance of await registry.get(provider).listInstances()) {
      if (!isTerminated(instance)) found.push({ provider, instance });
    }
  }
  return found;
}

/** A cloud name as an inventory name: letters, digits, '.', '_' and '-', starting with a letter or digit. */
export function inventoryNameOf(cloudName: string, resourceId: string): string {
  const clean = (text: string) =>
    text
      .replace(/[^a-z0-9._-]+/gi, "-")
      .replace(/^[^a-z0-9]+/i, "")
      .slice(0, MAX_NAME)
      .replace(/[._-]+$/, "");
  // The last part of a fully qualified id (ARN, ARM path, OCID) when the cloud name has nothing usable.
  return clean(cloudName) || clean(resourceId.split(/[/:]/).pop() ?? "") || "vm";
}

/** `name`, or `name-2`, `name-3`... : the first one nobody holds. */
function freeName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${name.slice(0, MAX_NAME - String(suffix).length - 1)}-${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

const keyOf = (provider: string, resourceId: string) => `${provider} ${resourceId}`;

/** The stored inventory with the discovered instances merged in (pure, so the diff is the whole story). */
export function mergeDiscovered(current: InventorySpec, discovered: DiscoveredInstance[]): InventorySpec {
  const byResource = new Map(discovered.map((found) => [keyOf(found.provider, found.instance.resourceId), found.instance]));
  const update = <T extends StandaloneVmSpec>(vm: T): T => {
    const instance = byResource.get(keyOf(vm.provider, vm.resourceId));
    return instance ? { ...vm, region: instance.region, tags: { ...instance.tags } } : vm;
  };
  const environments = current.environments.map((environment) => ({
    ...environment,
    groups: environment.groups.map((group) => ({ ...group, vms: group.vms.map(update) })),
  }));
  const vms = current.vms.map(update);

  const stored = [...environments.flatMap((environment) => environment.groups.flatMap((group) => group.vms)), ...vms];
  const known = new Set(stored.map((vm) => keyOf(vm.provider, vm.resourceId)));
  const taken = new Set(stored.map((vm) => vm.name));
  // A stable order, so the same cloud gives the same names whatever order the listing came in.
  const added = discovered
    .filter((found) => !known.has(keyOf(found.provider, found.instance.resourceId)))
    .sort((a, b) => keyOf(a.provider, a.instance.resourceId).localeCompare(keyOf(b.provider, b.instance.resourceId)));
  for (const { provider, instance } of added) {
    const key = keyOf(provider, instance.resourceId);
    if (known.has(key)) continue; // listed twice (two regions answering for one id)
    known.add(key);
    const name = freeName(inventoryNameOf(instance.name, instance.resourceId), taken);
    taken.add(name);
    vms.push({ name, provider, region: instance.region, resourceId: instance.resourceId, tags: { ...instance.tags } });
  }
  return { environments, vms };
}

/**
 * Lists the tagged instances of every configured cloud, then merges them into the stored inventory.
 * The listing happens before the transaction (cloud calls are slow); the merge reads the inventory inside it.
 */
export async function discoverInventory(prisma: PrismaClient, registry: ProviderRegistry, options: { dryRun?: boolean } = {}): Promise<ApplyResult> {
  const discovered = await listTaggedInstances(registry);
  return applyInventoryUpdate(prisma, (current) => mergeDiscovered(current, discovered), options);
}
