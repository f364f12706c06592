// Builds the real service layer over a test database and the simulator cloud, plus helpers to make
// users and VMs (each VM backed by a simulated machine, as in demo mode).
import type { Database } from "../../src/db/database.js";
import type { ProviderKind, ProviderRegistry } from "../../src/providers/cloud-provider.js";
import { createSimulatedRegistry } from "../../src/providers/registry.js";
import type { Actor, RequestContext, Role } from "../../src/services/actor.js";
import { createServices } from "../../src/services/index.js";
import { toActor } from "../../src/services/user-service.js";
import type { VmStatus } from "../../src/services/vm-query.js";

export interface FixtureOptions {
  latencyMs?: number;
  failureRate?: number;
  throttleRate?: number;
  admins?: string[];
  operators?: string[];
  defaultRole?: Role;
  now?: () => Date;
  sessionIdleMinutes?: number;
  userCacheMs?: number;
  /** What the services see of the clouds, e.g. a counting wrapper around the simulators. */
  wrapProviders?: (registry: ProviderRegistry) => ProviderRegistry;
  leaseMs?: number;
  heartbeatMs?: number;
  auditExportMaxRows?: number;
  /** The simulators' dice (failures, throttling): seed it to make a random-fault run reproducible. */
  random?: () => number;
}

export function buildFixture(db: Database, options: FixtureOptions = {}) {
  const providers = createSimulatedRegistry({
    prisma: db.prisma,
    latencyMs: options.latencyMs ?? 40,
    jitterMs: 0,
    failureRate: options.failureRate ?? 0,
    throttleRate: options.throttleRate ?? 0,
    random: options.random,
    pollIntervalMs: 10,
    retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5 },
  });
  const services = createServices(db, options.wrapProviders?.(providers) ?? providers, {
    admins: options.admins ?? [],
    operators: options.operators ?? [],
    defaultRole: options.defaultRole ?? "viewer",
    sessionIdleMinutes: options.sessionIdleMinutes ?? 480,
    userCacheMs: options.userCacheMs,
    pollIntervalMs: 10,
    operationTimeoutMs: 10_000,
    now: options.now,
    leaseMs: options.leaseMs,
    heartbeatMs: options.heartbeatMs,
    auditExportMaxRows: options.auditExportMaxRows,
  });

  async function addUser(slackUserId: string, role: Role, teamId = "T0TEST0001"): Promise<Actor> {
    const user = await db.prisma.user.create({ data: { teamId, slackUserId, role, displayName: slackUserId.toLowerCase() } });
    return toActor(user);
  }

  function as(actor: Actor, source: RequestContext["source"] = "slack_command"): RequestContext {
    return { actor, source };
  }

  async function addVm(
    name: string,
    options: { provider?: ProviderKind; status?: Extract<VmStatus, "running" | "stopped" | "error">; tags?: Record<string, string>; environment?: string; region?: string } = {},
  ) {
    const provider = options.provider ?? "simulator";
    const status = options.status ?? "stopped";
    const region = options.region ?? "sim-east-1";
    const instance = await providers.simulator(provider).registerInstance({ name, region, state: status, tags: options.tags, details: { diskGb: 20, cpu: 2, memoryGb: 4 } });
    let groupId: number | undefined;
    if (options.environment) {
      const environment = await db.prisma.environment.upsert({ where: { name: options.environment }, update: {}, create: { name: options.environment } });
      const group = await db.prisma.vmGroup.upsert({
        where: { environmentId_name: { environmentId: environment.id, name: "app" } },
        update: {},
        create: { environmentId: environment.id, name: "app" },
      });
      groupId = group.id;
    }
    return db.prisma.vm.create({
      data: {
        name,
        provider,
        region,
        status,
        providerResourceId: instance.resourceId,
        groupId,
        tags: { create: Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value })) },
      },
    });
  }

  return { db, providers, services, addUser, addVm, as };
}

export type Fixture = ReturnType<typeof buildFixture>;
