// Writes the demo VMs, their tags and dependencies, and a matching simulated machine for each one
// (same resource id, provider and state) so every demo VM can be acted on in demo mode.
import type { PrismaClient } from "../db/database.js";
import type { ProviderKind } from "../providers/cloud-provider.js";
import { flavourOf } from "../providers/simulator/flavours/index.js";
import { seededRandom } from "../providers/simulator/random-ids.js";
import { SimulatorProvider } from "../providers/simulator/simulator-provider.js";
import type { DemoEnvironment, DemoGroup, SeededEnvironment } from "./demo-environments.js";
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

/** Resource ids derive from the VM's name, so every run (and every database) gets the same ones. */
export function demoResourceId(vm: DemoVm): string {
  return flavourOf(vm.provider).instanceId(vm.name, vm.region, seededRandom(`demo-vm:${vm.name}`));
}

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
  environments: Map<DemoEnvironment, SeededEnvironment>,
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
    const resourceId = demoResourceId(vm);
    const details = demoDetails(vm, resourceId, index);
    const machine = { resourceId, name: vm.name, region: vm.region };
    const statusMessage = vm.status === "error" ? flavourOf(vm.provider).failureMessage("start", machine) : null;
    const environment = vm.environment ? environments.get(vm.environment) : undefined;
    const groupId = environment && vm.group ? environment.groupIds.get(vm.group) : undefined;

    let row = await prisma.vm.findUnique({ where: { name: vm.name } });
    if (!row) {
      row = await prisma.vm.create({
        data: {
          name: vm.name,
          provider: vm.provider,
          region: vm.region,
          providerResourceId: resourceId,
          status: vm.status,
          statusMessage,
          providerState: flavourOf(vm.provider).stateWord(vm.status),
          groupId: groupId ?? null,
          sequencePosition: vm.group ? DEMO_VMS.filter((other) => other.environment === vm.environment && other.group === vm.group).indexOf(vm) : 0,
          lastAction: vm.status === "stopped" ? "vm_stop" : "vm_start",
          lastActionAt: new Date(now.getTime() - (index + 1) * 97 * 60_000),
          lastSyncedAt: now,
          details,
        },
      });
      counts.vms++;
    }
    for (const [key, value] of Object.entries(demoTags(vm))) {
      if (await prisma.vmTag.findUnique({ where: { vmId_key: { vmId: row.id, key } } })) continue;
      await prisma.vmTag.create({ data: { vmId: row.id, key, value } });
      counts.vmTags++;
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
      environmentId: environment?.id ?? null,
    });
  }

  for (const vm of DEMO_VMS) {
    for (const required of vm.dependsOn ?? []) {
      const key = { vmId: seeded.get(vm.name)!.id, dependsOnVmId: seeded.get(required)!.id };
      if (await prisma.vmDependency.findUnique({ where: { vmId_dependsOnVmId: key } })) continue;
      await prisma.vmDependency.create({ data: key });
      counts.vmDependencies++;
    }
  }
  return seeded;
}
