// A production-sized fleet for the benchmarks: 50 environments (service x stage x region) whose groups
// depend on each other the way real stacks do (db -> cache -> api -> web, queue -> worker), 5,000 VMs
// named and tagged as operators name them (`payments-api-prod-eu-03`; team, service, tier, cost-center,
// owner), platform machines in no environment, users, and (optionally) the simulated clouds holding the
// same machines, a share of them drifted from what the bot last knew. Deterministic for a seed.
import type { Database } from "../../src/db/database.js";
import type { ProviderKind } from "../../src/providers/cloud-provider.js";
import { flavourOf } from "../../src/providers/simulator/flavours/index.js";
import { seededRandom, type RandomSource } from "../../src/providers/simulator/random-ids.js";

export interface FleetOptions {
  vms: number;
  environments: number;
  users: number;
  seed?: string;
  /** Share of VMs in no environment (CI runners, bastions, build agents): platform scope. */
  platformShare?: number;
}

export const DEFAULT_FLEET: FleetOptions = {
  vms: Number(process.env.BENCH_VMS ?? 5000),
  environments: Number(process.env.BENCH_ENVIRONMENTS ?? 50),
  users: Number(process.env.BENCH_USERS ?? 250),
  seed: "bench-fleet",
  platformShare: 0.08,
};

type VmStatus = "running" | "stopped" | "error";

export interface FleetGroup {
  name: string;
  sequencePosition: number;
  dependsOn: string[];
  settleSeconds: number;
}

export interface FleetEnvironment {
  name: string;
  description: string;
  service: string;
  stage: string;
  /** Region short name in VM names: eu, us ... */
  location: string;
  provider: ProviderKind;
  region: string;
  team: string;
  groups: FleetGroup[];
}

export interface FleetVm {
  name: string;
  provider: ProviderKind;
  region: string;
  status: VmStatus;
  providerResourceId: string;
  environment: string | null;
  group: string | null;
  tags: Record<string, string>;
}

export interface FleetUser {
  slackUserId: string;
  displayName: string;
  role: "viewer" | "operator" | "admin";
  team: string;
}

export interface Fleet {
  environments: FleetEnvironment[];
  vms: FleetVm[];
  users: FleetUser[];
}

const SERVICES = [
  ["payments", "team-payments", "CC-1100"], ["checkout", "team-payments", "CC-1100"], ["ledger", "team-finance", "CC-1200"],
  ["billing", "team-finance", "CC-1200"], ["search", "team-discovery", "CC-1300"], ["catalog", "team-discovery", "CC-1300"],
  ["recommendations", "team-discovery", "CC-1300"], ["identity", "team-platform", "CC-1400"], ["notifications", "team-platform", "CC-1400"],
  ["inventory", "team-fulfilment", "CC-1500"], ["shipping", "team-fulfilment", "CC-1500"], ["pricing", "team-growth", "CC-1600"],
  ["analytics", "team-data", "CC-1700"], ["reporting", "team-data", "CC-1700"], ["fraud", "team-risk", "CC-1800"],
  ["support-portal", "team-care", "CC-1900"], ["media", "team-content", "CC-2000"],
] as const;
const STAGES = ["prod", "staging", "dev"] as const;
const REGIONS: Record<ProviderKind, { short: string; region: string }[]> = {
  aws: [{ short: "eu", region: "eu-west-1" }, { short: "us", region: "us-east-1" }],
  azure: [{ short: "eu", region: "westeurope" }, { short: "us", region: "eastus" }],
  gcp: [{ short: "eu", region: "europe-west1" }, { short: "us", region: "us-central1" }],
  oci: [{ short: "eu", region: "eu-frankfurt-1" }, { short: "us", region: "us-ashburn-1" }],
  simulator: [{ short: "lab", region: "lab-1" }],
};
const CLOUDS: ProviderKind[] = ["aws", "aws", "aws", "azure", "gcp", "gcp", "oci"];
/** Each tier with the tiers it needs running first, and its share of an environment's machines. */
const TIERS: { name: string; dependsOn: string[]; weight: number; settleSeconds: number }[] = [
  { name: "db", dependsOn: [], weight: 2, settleSeconds: 30 },
  { name: "cache", dependsOn: ["db"], weight: 1, settleSeconds: 0 },
  { name: "queue", dependsOn: [], weight: 1, settleSeconds: 10 },
  { name: "api", dependsOn: ["cache", "queue"], weight: 4, settleSeconds: 0 },
  { name: "worker", dependsOn: ["queue", "db"], weight: 3, settleSeconds: 0 },
  { name: "web", dependsOn: ["api"], weight: 4, settleSeconds: 0 },
];
const PLATFORM_ROLES = ["ci-runner", "bastion", "build-agent", "monitoring", "vpn-gw", "artifact-cache"];
const FIRST_NAMES = ["ana", "ben", "chloe", "dev", "emma", "felix", "grace", "hugo", "ines", "jonas", "kai", "lena", "malik", "nora", "omar", "priya", "quinn", "rosa", "sami", "tariq", "uma", "vera", "wei", "yara", "zoe"];
const LAST_NAMES = ["adams", "berg", "costa", "dubois", "eriksen", "fischer", "garcia", "hansen", "ito", "jensen"];

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function environmentsOf(count: number, random: RandomSource): FleetEnvironment[] {
  const environments: FleetEnvironment[] = [];
  for (let index = 0; environments.length < count; index++) {
    const [service, team] = SERVICES[index % SERVICES.length]!;
    const stage = STAGES[Math.floor(index / SERVICES.length) % STAGES.length]!;
    const provider = CLOUDS[index % CLOUDS.length]!;
    const round = Math.floor(index / (SERVICES.length * STAGES.length));
    const { short, region } = REGIONS[provider][(index + round) % REGIONS[provider].length]!;
    const location = `${short}${round ? round + 1 : ""}`;
    const name = `${service}-${stage}-${location}`;
    // Small stacks leave out the queue and worker tiers.
    const tiers = random() < 0.3 ? TIERS.filter((tier) => tier.name !== "queue" && tier.name !== "worker") : TIERS;
    const present = new Set(tiers.map((tier) => tier.name));
    const groups = tiers.map((tier, position) => ({
      name: tier.name,
      sequencePosition: position,
      dependsOn: tier.dependsOn.filter((name) => present.has(name)),
      settleSeconds: tier.settleSeconds,
    }));
    environments.push({ name, description: `${service} (${stage}, ${region})`, service, stage, location, provider, region, team, groups });
  }
  return environments;
}

export function generateFleet(options: FleetOptions = DEFAULT_FLEET): Fleet {
  const random = seededRandom(options.seed ?? "bench-fleet");
  const environments = environmentsOf(options.environments, random);
  const platformVms = Math.round(options.vms * (options.platformShare ?? 0.08));
  const environmentVms = options.vms - platformVms;
  // Production stacks are larger than staging, staging larger than dev.
  const stageWeight = { prod: 3, staging: 1.5, dev: 1 } as Record<string, number>;
  const totalWeight = environments.reduce((sum, environment) => sum + stageWeight[environment.stage]!, 0);
  const vms: FleetVm[] = [];
  let assigned = 0;
  for (const [index, environment] of environments.entries()) {
    const size = index === environments.length - 1 ? environmentVms - assigned : Math.round((environmentVms * stageWeight[environment.stage]!) / totalWeight);
    assigned += size;
    const tiers = TIERS.filter((tier) => environment.groups.some((group) => group.name === tier.name));
    const tierWeight = tiers.reduce((sum, tier) => sum + tier.weight, 0);
    const counts = new Map<string, number>();
    for (let n = 0; n < size; n++) {
      // Each tier gets its share; the first VMs cover every tier so none is empty.
      let draw = random() * tierWeight;
      const tier = n < tiers.length ? tiers[n]! : tiers.find((candidate) => (draw -= candidate.weight) < 0) ?? tiers[tiers.length - 1]!;
      const ordinal = (counts.get(tier.name) ?? 0) + 1;
      counts.set(tier.name, ordinal);
      const name = `${environment.service}-${tier.name}-${environment.stage}-${environment.location}-${String(ordinal).padStart(2, "0")}`;
      const running = environment.stage === "prod" ? 0.97 : environment.stage === "staging" ? 0.6 : 0.35;
      const status: VmStatus = random() < 0.004 ? "error" : random() < running ? "running" : "stopped";
      vms.push({
        name,
        provider: environment.provider,
        region: environment.region,
        status,
        providerResourceId: flavourOf(environment.provider).instanceId(name, environment.region, random),
        environment: environment.name,
        group: tier.name,
        tags: {
          team: environment.team,
          service: environment.service,
          tier: tier.name,
          env: environment.stage,
          "cost-center": SERVICES.find(([service]) => service === environment.service)![2],
          owner: `${pick(random, FIRST_NAMES)}.${pick(random, LAST_NAMES)}`,
        },
      });
    }
  }
  for (let n = 0; n < platformVms; n++) {
    const provider = CLOUDS[n % CLOUDS.length]!;
    const { short, region } = REGIONS[provider][n % REGIONS[provider].length]!;
    const role = PLATFORM_ROLES[n % PLATFORM_ROLES.length]!;
    const name = `platform-${role}-${provider}-${short}-${String(Math.floor(n / PLATFORM_ROLES.length) + 1).padStart(3, "0")}`;
    vms.push({
      name,
      provider,
      region,
      status: random() < 0.8 ? "running" : "stopped",
      providerResourceId: flavourOf(provider).instanceId(name, region, random),
      environment: null,
      group: null,
      tags: { team: "team-platform", service: role, tier: "infra", env: "shared", "cost-center": "CC-1400", owner: `${pick(random, FIRST_NAMES)}.${pick(random, LAST_NAMES)}` },
    });
  }
  const teams = [...new Set(SERVICES.map(([, team]) => team))];
  const users = Array.from({ length: options.users }, (_, n): FleetUser => ({
    slackUserId: `U0B${String(n).padStart(6, "0")}`,
    displayName: `${FIRST_NAMES[n % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(n / FIRST_NAMES.length) % LAST_NAMES.length]}`,
    role: n < 5 ? "admin" : n < 60 ? "operator" : "viewer",
    team: teams[n % teams.length]!,
  }));
  return { environments, vms, users };
}

export interface InsertedFleet {
  fleet: Fleet;
  teamId: string;
  environments: { id: number; name: string }[];
  vms: { id: number; name: string; environmentId: number | null }[];
  users: { id: number; slackUserId: string; role: FleetUser["role"] }[];
  /** VMs whose simulated cloud state differs from the inventory's (when `simulatedCloud` was asked for). */
  drifted: number;
}

export interface InsertOptions {
  teamId?: string;
  /** Also put every VM in the simulated clouds (SimulatedInstance rows), as createSimulatedRegistry reads them. */
  simulatedCloud?: boolean;
  /** Share of those cloud machines in another state than the inventory says (drift to find). */
  driftShare?: number;
  seed?: string;
}

const CHUNK = 1000;

async function inChunks<T>(items: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let offset = 0; offset < items.length; offset += CHUNK) await write(items.slice(offset, offset + CHUNK));
}

/** Writes the fleet with bulk inserts (a few seconds for 5,000 VMs); the database must be empty of them. */
export async function insertFleet(db: Database, fleet: Fleet, options: InsertOptions = {}): Promise<InsertedFleet> {
  const { prisma } = db;
  const teamId = options.teamId ?? "T0BENCH";
  await prisma.environment.createMany({ data: fleet.environments.map(({ name, description }) => ({ name, description })) });
  const environments = await prisma.environment.findMany({ where: { name: { in: fleet.environments.map((environment) => environment.name) } }, select: { id: true, name: true } });
  const environmentId = new Map(environments.map((environment) => [environment.name, environment.id]));
  await prisma.vmGroup.createMany({
    data: fleet.environments.flatMap((environment) =>
      environment.groups.map((group) => ({ environmentId: environmentId.get(environment.name)!, name: group.name, sequencePosition: group.sequencePosition, settleSeconds: group.settleSeconds })),
    ),
  });
  const groups = await prisma.vmGroup.findMany({ where: { environmentId: { in: environments.map((environment) => environment.id) } }, select: { id: true, name: true, environmentId: true } });
  const groupId = new Map(groups.map((group) => [`${group.environmentId}/${group.name}`, group.id]));
  await prisma.groupDependency.createMany({
    data: fleet.environments.flatMap((environment) => {
      const envId = environmentId.get(environment.name)!;
      return environment.groups.flatMap((group) => group.dependsOn.map((required) => ({ groupId: groupId.get(`${envId}/${group.name}`)!, dependsOnGroupId: groupId.get(`${envId}/${required}`)! })));
    }),
  });
  const groupOf = (vm: FleetVm) => (vm.environment ? groupId.get(`${environmentId.get(vm.environment)}/${vm.group}`)! : null);
  await inChunks(fleet.vms, (chunk) =>
    prisma.vm.createMany({
      data: chunk.map((vm) => ({ name: vm.name, provider: vm.provider, region: vm.region, status: vm.status, providerResourceId: vm.providerResourceId, groupId: groupOf(vm), providerState: vm.status })),
    }),
  );
  const rows = await prisma.vm.findMany({ select: { id: true, name: true, group: { select: { environmentId: true } } } });
  const vmId = new Map(rows.map((row) => [row.name, row.id]));
  await inChunks(
    fleet.vms.flatMap((vm) => Object.entries(vm.tags).map(([key, value]) => ({ vmId: vmId.get(vm.name)!, key, value }))),
    (chunk) => prisma.vmTag.createMany({ data: chunk }),
  );
  await prisma.user.createMany({ data: fleet.users.map(({ slackUserId, displayName, role }) => ({ teamId, slackUserId, displayName, role })) });
  const users = await prisma.user.findMany({ where: { teamId }, select: { id: true, slackUserId: true, role: true }, orderBy: { id: "asc" } });

  let drifted = 0;
  if (options.simulatedCloud) {
    const random = seededRandom(options.seed ?? "bench-cloud");
    const driftShare = options.driftShare ?? 0;
    const instances = fleet.vms.map((vm) => {
      let state: string = vm.status;
      if (random() < driftShare) {
        drifted++;
        state = vm.status === "running" ? "stopped" : "running";
      }
      const details = { tags: vm.tags };
      return { resourceId: vm.providerResourceId, provider: vm.provider, name: vm.name, region: vm.region, state, stateMessage: state === "error" ? "Instance failed health checks" : null, details };
    });
    await inChunks(instances, (chunk) => prisma.simulatedInstance.createMany({ data: chunk }));
  }
  return {
    fleet,
    teamId,
    environments,
    vms: rows.map((row) => ({ id: row.id, name: row.name, environmentId: row.group?.environmentId ?? null })),
    users: users.map((user) => ({ id: user.id, slackUserId: user.slackUserId, role: user.role as FleetUser["role"] })),
    drifted,
  };
}
