// Builds the service layer from its dependencies. No Slack here: the Slack surface receives this.
import type { Database } from "../db/database.js";
import type { ProviderRegistry } from "../providers/cloud-provider.js";
import type { Role } from "./actor.js";
import { createAuditService } from "./audit-service.js";
import { createDeliveryService } from "./delivery-service.js";
import { createEnvironmentService, type EnvironmentSettings } from "./environments/environment-service.js";
import { createDigestService } from "./digests/digest-service.js";
import { createJobLogService } from "./jobs/job-log-service.js";
import { createOperationLeases, newProcessOwnerId } from "./operation-lease.js";
import { createOperationService } from "./operation-service.js";
import { createSnapshotService } from "./snapshot-service.js";
import { createUserService } from "./user-service.js";
import { createVmActionService } from "./vm-action-service.js";
import { createVmService } from "./vm-service.js";

export interface ServiceOptions {
  admins: string[];
  operators: string[];
  defaultRole: Role;
  sessionIdleMinutes: number;
  /** How long a resolved user is reused without a query (USER_CACHE_SECONDS); 5 s when unset, 0 for none. */
  userCacheMs?: number;
  /** How often long operations ask the cloud how far they got. */
  pollIntervalMs?: number;
  operationTimeoutMs?: number;
  /** Who this process is when it owns running work (made once per process); a fresh one when unset. */
  ownerId?: string;
  /** How long an operation's lease holds without a heartbeat before another replica may take it over. */
  leaseMs?: number;
  heartbeatMs?: number;
  now?: () => Date;
  /** Most entries one CSV export may hold (AUDIT_EXPORT_MAX_ROWS). */
  auditExportMaxRows?: number;
  environments?: Partial<EnvironmentSettings>;
}

export function createServices(db: Database, providers: ProviderRegistry, options: ServiceOptions) {
  const { prisma } = db;
  const now = options.now;
  const audit = createAuditService(prisma, now, { exportMaxRows: options.auditExportMaxRows });
  const operations = createOperationService({ prisma, now });
  const leases = createOperationLeases({ prisma, ownerId: options.ownerId ?? newProcessOwnerId(), leaseMs: options.leaseMs, heartbeatMs: options.heartbeatMs, now });
  const timing = { pollIntervalMs: options.pollIntervalMs, timeoutMs: options.operationTimeoutMs, now };
  return {
    audit,
    operations,
    leases,
    users: createUserService({
      prisma,
      audit,
      now,
      sessionIdleMinutes: options.sessionIdleMinutes,
      userCacheMs: options.userCacheMs,
      bootstrap: { admins: options.admins, operators: options.operators, defaultRole: options.defaultRole },
    }),
    vms: createVmService({ prisma, dialect: db.dialect, audit }),
    vmActions: createVmActionService({ prisma, providers, audit, operations, leases, ...timing }),
    snapshots: createSnapshotService({ prisma, providers, audit, ...timing }),
    deliveries: createDeliveryService({ prisma, now }),
    environments: createEnvironmentService({
      prisma,
      providers,
      audit,
      leases,
      settings: options.environments,
      pollIntervalMs: options.pollIntervalMs,
      verifyTimeoutMs: options.operationTimeoutMs,
      now,
    }),
    jobs: createJobLogService({ prisma, audit, now }),
    digests: createDigestService({ prisma, audit, now }),
  };
}

export type Services = ReturnType<typeof createServices>;
