// An environment service over a test database and the simulator cloud, with a provider that records
// every power call (and can refuse one, accept one without acting, or "crash" the process right after
// the cloud accepted it), and a sleep that records what it was asked to wait but barely waits.
import type { Database } from "../../../src/db/database.js";
import { CloudProviderError, type CloudProvider, type PowerAction, type ProviderKind, type ProviderRegistry } from "../../../src/providers/cloud-provider.js";
import { createSimulatedRegistry } from "../../../src/providers/registry.js";
import type { EnvironmentLevel, RequestContext, Role } from "../../../src/services/actor.js";
import { createAuditService, type AuditService } from "../../../src/services/audit-service.js";

const ACCESS_OF: Record<Role, EnvironmentLevel | "none"> = { admin: "none", operator: "user", viewer: "viewer" };
import { createEnvironmentService } from "../../../src/services/environments/environment-service.js";
import { createNotificationService } from "../../../src/services/notifications/notification-service.js";
import { createOperationLeases } from "../../../src/services/operation-lease.js";
import { applyInventory } from "../../../src/services/environments/inventory-apply.js";
import type { InventorySpec } from "../../../src/services/environments/model.js";
import type { ReadinessProbe } from "../../../src/services/environments/readiness.js";
import { toActor } from "../../../src/services/user-service.js";

export interface PowerCall {
  seq: number;
  action: PowerAction;
  vm: string;
  /** The status of each VM it waits for at the moment of the call, read from the database. */
  prerequisites: Record<string, string>;
}

export type Fault = "refuse" | "ignore" | "crash";

export function buildEnvironmentFixture(db: Database) {
  const simulated = createSimulatedRegistry({
    prisma: db.prisma,
    latencyMs: 30,
    jitterMs: 0,
    failureRate: 0,
    throttleRate: 0,
    pollIntervalMs: 5,
    retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 2 },
  });
  const calls: PowerCall[] = [];
  const faults = new Map<string, Fault>();
  const names = new Map<string, string>();
  /** What each VM waits for (set by the test from the plan) so a call can check them. */
  const prerequisitesOf = new Map<string, string[]>();
  let onCrash: (() => void) | undefined;

  function recording(kind: ProviderKind, inner: CloudProvider): CloudProvider {
    return new Proxy(inner, {
      get(target, property, receiver) {
        if (property !== "powerInstances") return Reflect.get(target, property, receiver);
        return async (action: PowerAction, resourceIds: string[]) => {
          const vm = names.get(resourceIds[0]!)!;
          const required = prerequisitesOf.get(vm) ?? [];
          const rows = await db.prisma.operationVm.findMany({ where: { vm: { name: { in: required } } }, orderBy: { id: "desc" }, include: { vm: true } });
          const prerequisites = Object.fromEntries(required.map((name) => [name, rows.find((row) => row.vm.name === name)?.status ?? "none"]));
          calls.push({ seq: calls.length, action, vm, prerequisites });
          const fault = faults.get(vm);
          if (fault === "refuse") return [{ resourceId: resourceIds[0]!, ok: false, error: new CloudProviderError(kind, "InsufficientCapacity", `We currently do not have sufficient capacity to ${action} ${vm}.`) }];
          if (fault === "ignore") return [{ resourceId: resourceIds[0]!, ok: true }];
          const result = await target.powerInstances(action, resourceIds);
          if (fault === "crash") {
            onCrash?.();
            return new Promise(() => undefined); // the process died right after the cloud accepted
          }
          return result;
        };
      },
    });
  }
  const providers: ProviderRegistry = { get: (kind) => recording(kind, simulated.get(kind)), kinds: () => simulated.kinds() };

  const sleeps: number[] = [];
  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      sleeps.push(ms);
      if (signal?.aborted) return resolve();
      const timer = setTimeout(resolve, Math.min(ms, 5));
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });

  function service(options: { concurrency?: number; probe?: ReadinessProbe; now?: () => Date; ownerId?: string; audit?: AuditService } = {}) {
    const now = options.now ?? (() => new Date());
    const ownerId = options.ownerId ?? `test-${Math.random().toString(36).slice(2, 8)}`;
    const leases = createOperationLeases({ prisma: db.prisma, ownerId, leaseMs: 60_000, now });
    const audit = options.audit ?? createAuditService(db.prisma, now);
    return createEnvironmentService({
      prisma: db.prisma,
      providers,
      audit,
      notifications: createNotificationService({ prisma: db.prisma, audit, ownerId, now }),
      settings: { concurrency: options.concurrency ?? 4, readinessTimeoutSeconds: 1 },
      leases,
      probe: options.probe,
      now,
      sleep,
      pollIntervalMs: 5,
      verifyTimeoutMs: 400,
      heartbeatMs: 20,
    });
  }

  /** Registers a simulated machine for every VM of the inventory (stopped unless said otherwise) and applies it. */
  async function declare(inventory: InventorySpec, running: string[] = []) {
    for (const environment of inventory.environments) {
      for (const group of environment.groups) {
        for (const vm of group.vms) {
          const instance = await simulated.simulator(vm.provider).registerInstance({ name: vm.name, region: vm.region, state: running.includes(vm.name) ? "running" : "stopped" });
          vm.resourceId = instance.resourceId;
          names.set(instance.resourceId, vm.name);
          if (running.includes(vm.name)) continue;
        }
      }
    }
    await applyInventory(db.prisma, inventory);
    for (const name of running) await db.prisma.vm.update({ where: { name }, data: { status: "running" } });
    await db.prisma.vm.updateMany({ where: { name: { notIn: running } }, data: { status: "stopped" } });
  }

  /**
   * A user with a global `role` and, in every environment declared so far, the access that role's people
   * are given (operators `user`, viewers `viewer`; a global admin needs none), unless `access` says otherwise.
   */
  async function actor(role: Role, slackUserId = `U0${role.toUpperCase()}`, access: EnvironmentLevel | "none" = ACCESS_OF[role]): Promise<RequestContext> {
    const user = await db.prisma.user.create({ data: { teamId: "T0TEST0001", slackUserId, role, displayName: role } });
    if (access !== "none") {
      const environments = await db.prisma.environment.findMany({ select: { id: true } });
      await db.prisma.environmentAccess.createMany({ data: environments.map((environment) => ({ environmentId: environment.id, userId: user.id, level: access })) });
    }
    const grants = await db.prisma.environmentAccess.findMany({ where: { userId: user.id }, select: { environmentId: true, level: true, expiresAt: true } });
    return { actor: toActor(user, grants), source: "slack_command" };
  }

  return {
    calls,
    faults,
    sleeps,
    prerequisitesOf,
    service,
    declare,
    actor,
    simulated,
    crashWhen: (callback: () => void) => {
      onCrash = callback;
    },
  };
}
