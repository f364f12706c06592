// Builds the real service layer over a test database and the simulator cloud, plus helpers to make
// users and VMs (each VM backed by a simulated machine, as in demo mode).
import type { Database } from "../../src/db/database.js";
import type { ProviderKind, ProviderRegistry } from "../../src/providers/cloud-provider.js";
import { createSimulatedRegistry } from "../../src/providers/registry.js";
import type { Actor, EnvironmentLevel, RequestContext, Role } from "../../src/services/actor.js";
import { createServices } from "../../src/services/index.js";
import { ACTIVE_GRANTS, toActor } from "../../src/services/user-service.js";
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

  async function addEnvironment(name: string) {
    return db.prisma.environment.upsert({ where: { name }, update: {}, create: { name } });
  }

  /** The actor as the database has them now (role, flags, active grants), as `resolveActor` would read them. */
  async function refresh(actor: Actor): Promise<Actor> {
    const user = await db.prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, include: ACTIVE_GRANTS });
    return toActor(user, user.environmentAccess, options.now?.() ?? new Date());
  }

  /**
   * Gives `actor` `level` access to `environment` (an EnvironmentAccess row, replacing any earlier one) and
   * returns the refreshed Actor. `envAdmin` also sets the user's flag (without it an `admin` grant acts as `user`).
   */
  async function grant(
    actor: Actor,
    environment: string | { id: number },
    level: EnvironmentLevel,
    grantOptions: { envAdmin?: boolean; expiresAt?: Date; status?: "active" | "revoked" | "expired" | "pending"; grantedBy?: Actor } = {},
  ): Promise<Actor> {
    const environmentId = typeof environment === "string" ? (await addEnvironment(environment)).id : environment.id;
    if (grantOptions.envAdmin !== undefined) await db.prisma.user.update({ where: { id: actor.userId }, data: { envAdmin: grantOptions.envAdmin } });
    const data = { level, status: grantOptions.status ?? "active", expiresAt: grantOptions.expiresAt ?? null, grantedById: grantOptions.grantedBy?.userId ?? null };
    await db.prisma.environmentAccess.upsert({
      where: { environmentId_userId: { environmentId, userId: actor.userId } },
      update: data,
      create: { environmentId, userId: actor.userId, ...data },
    });
    return refresh(actor);
  }

  /** `level` access to every environment there is now (a reader of the whole inventory who is no global admin). */
  async function grantEverywhere(actor: Actor, level: EnvironmentLevel): Promise<Actor> {
    for (const environment of await db.prisma.environment.findMany({ select: { id: true } })) actor = await grant(actor, environment, level);
    return actor;
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
      const environment = await addEnvironment(options.environment);
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

  return { db, providers, services, addUser, addVm, addEnvironment, grant, grantEverywhere, refresh, as };
}

export type Fixture = ReturnType<typeof buildFixture>;
