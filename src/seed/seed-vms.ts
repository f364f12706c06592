// Gives the demo VMs (created by inventory/demo.yml) their demo state and details, and a matching
// simulated machine each (same resource id, provider and state) so every demo VM can be acted on in demo mode.
import type { PrismaClient } from "../db/database.js";
import type { ProviderKind } from "../providers/cloud-provider.js";
import { flavourOf } from "../providers/simulator/flavours/index.js";
import { SimulatorProvider } from "../providers/simulator/simulator-provider.js";
import type { DemoEnvironment, DemoGroup } from "./demo-environments.js";
import { DEMO_VMS, INSTANCE_SIZES, type DemoVm, type InstanceSize } from "./demo-vms.js";
import type { SeedCounts } from "./seed-counts.js";

export interface SeededVm {
  id: number;
  name: string;
  provider: ProviderKind;
  region: string;
  resourceId: string;
  diskGb: number;
  environmentId: number | null;
}

const ENVIRONMENT_OCTET: Record<DemoEnvironment | "shared", number> = { production: 10, staging: 20, demo: 30, shared: 40 };
const GROUP_OCTET: Record<DemoGroup | "tools", number> = { database: 1, app: 2, web: 3, tools: 9 };

function demoTags(vm: DemoVm): Record<string, string> {
  return { team: vm.team, env: vm.environment ?? "shared", tier: vm.group ?? "tools", owner: vm.owner };
}

/** A plain JSON object, stored alike in Vm.details and the simulated machine. */
type DemoDetails = InstanceSize & { privateIp: string; publicIp?: string; consoleUrl?: string };

function demoDetails(vm: DemoVm, resourceId: string, index: number): DemoDetails {
  const privateIp = `10.${ENVIRONMENT_OCTET[vm.environment ?? "shared"]}.${GROUP_OCTET[vm.group ?? "tools"]}.${10 + index}`;
  const consoleUrl = flavourOf(vm.provider).consoleUrl({ resourceId, name: vm.name, region: vm.region });
  return {
    ...INSTANCE_SIZES[vm.provider][vm.size],
    privateIp,
    ...(vm.publicIp && { publicIp: `203.0.113.${20 + index}` }),
    ...(consoleUrl && { consoleUrl }),
  };
}

export async function seedVms(
  prisma: PrismaClient,
  counts: SeedCounts,
  addedByInventory: ReadonlySet<string>,
  now: Date,
): Promise<Map<string, SeededVm>> {
  const simulators = new Map<ProviderKind, SimulatorProvider>();
  const simulatorFor = (kind: ProviderKind) => {
    const existing = simulators.get(kind);
    if (existing) return existing;
    const created = new SimulatorProvider({ prisma, kind, latencyMs: 0, jitterMs: 0, failureRate: 0, throttleRate: 0, now: () => now });
    simulators.set(kind, created);
    return created;
  };

  const seeded = new Map<string, SeededVm>();
  for (const [index, vm] of DEMO_VMS.entries()) {
    // The inventory file created the row (name, provider, region, resource id, group, tags, dependencies);
    // a VM it just added gets the demo's state and details.
    let row = await prisma.vm.findUniqueOrThrow({ where: { name: vm.name }, include: { group: { select: { environmentId: true } } } });
    const resourceId = row.providerResourceId;
    const details = demoDetails(vm, resourceId, index);
    const machine = { resourceId, name: vm.name, region: vm.region };
    const statusMessage = vm.status === "error" ? flavourOf(vm.provider).failureMessage("start", machine) : null;
    if (addedByInventory.has(vm.name)) {
      row = await prisma.vm.update({
        include: { group: { select: { environmentId: true } } },
        where: { id: row.id },
        data: {
          status: vm.status,
          statusMessage,
          providerState: flavourOf(vm.provider).stateWord(vm.status),
          lastAction: vm.status === "stopped" ? "vm_stop" : "vm_start",
          lastActionAt: new Date(now.getTime() - (index + 1) * 97 * 60_000),
          lastSyncedAt: now,
          details,
        },
      });
    }
    if (!(await prisma.simulatedInstance.findUnique({ where: { resourceId } }))) {
      await simulatorFor(vm.provider).registerInstance({
        ...machine,
        state: vm.status,
        stateMessage: statusMessage ?? undefined,
        tags: demoTags(vm),
        details,
        faults: vm.faults,
      });
      counts.simulatedInstances++;
    }
    seeded.set(vm.name, {
      id: row.id,
      name: vm.name,
      provider: vm.provider,
      region: vm.region,
      resourceId,
      diskGb: INSTANCE_SIZES[vm.provider][vm.size].diskGb,
      environmentId: row.group?.environmentId ?? null,
    });
  }

  return seeded;
}
