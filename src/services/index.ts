// Builds the service layer from its dependencies. No Slack here: the Slack surface receives this.
import type { Database } from "../db/database.js";
import type { ProviderRegistry } from "../providers/cloud-provider.js";
import { createAccessService, type AccessSettings } from "./access/access-service.js";
import type { Role } from "./actor.js";
import { createAuditService } from "./audit-service.js";
import { createDeliveryService } from "./delivery-service.js";
import { createEnvironmentService, type EnvironmentSettings } from "./environments/environment-service.js";
import { createDriftService } from "./drift/drift-service.js";
import type { DriftPolicy } from "./drift/drift-rules.js";
import { createDigestService } from "./digests/digest-service.js";
import { createJobLogService } from "./jobs/job-log-service.js";
import { createLockService, type LockSettings } from "./locks/lock-service.js";
import { createNotificationService, type NotificationSettings } from "./notifications/notification-service.js";
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
  notifications?: Partial<NotificationSettings>;
  access?: Partial<AccessSettings>;
  /** Called after someone's environment access changed (grant, revoke, expiry, env_admin flag). */
  onAccessChanged?: (userId: number) => void;
  /** LOCK_WARNING_HOURS / LOCK_OFFER_MINUTES. */
  locks?: Partial<LockSettings>;
  /** DRIFT_POLICY: what the state sync does about drift without a click (default notify). */
  driftPolicy?: DriftPolicy;
}

export function createServices(db: Database, providers: ProviderRegistry, options: ServiceOptions) {
  const { prisma } = db;
  const now = options.now;
  const audit = createAuditService(prisma, now, { exportMaxRows: options.auditExportMaxRows });
  const operations = createOperationService({ prisma, now });
  const ownerId = options.ownerId ?? newProcessOwnerId();
  const leases = createOperationLeases({ prisma, ownerId, leaseMs: options.leaseMs, heartbeatMs: options.heartbeatMs, now });
  const timing = { pollIntervalMs: options.pollIntervalMs, timeoutMs: options.operationTimeoutMs, now };
  const users = createUserService({
    prisma,
    audit,
    now,
    sessionIdleMinutes: options.sessionIdleMinutes,
    userCacheMs: options.userCacheMs,
    bootstrap: { admins: options.admins, operators: options.operators, defaultRole: options.defaultRole },
  });
  const notifications = createNotificationService({ prisma, audit, ownerId, now, settings: options.notifications });
  const vmActions = createVmActionService({ prisma, providers, audit, operations, leases, notifications, ...timing });
  return {
    audit,
    operations,
    leases,
    users,
    vms: createVmService({ prisma, dialect: db.dialect, audit }),
    vmActions,
    snapshots: createSnapshotService({ prisma, providers, audit, ...timing }),
    deliveries: createDeliveryService({ prisma, now }),
    environments: createEnvironmentService({
      prisma,
      providers,
      audit,
      leases,
      notifications,
      settings: options.environments,
      pollIntervalMs: options.pollIntervalMs,
      verifyTimeoutMs: options.operationTimeoutMs,
      now,
    }),
    jobs: createJobLogService({ prisma, audit, now }),
    digests: createDigestService({ prisma, audit, now }),
    notifications,
    access: createAccessService({ prisma, audit, notifications, roleOf: users.bootstrapRoleOf, now, settings: options.access, onAccessChanged: (userId) => {
        // The cached actor carries the grants: the next interaction of this user reads them afresh.
        users.invalidateUser(userId);
        options.onAccessChanged?.(userId);
      } }),
    locks: createLockService({ prisma, audit, notifications, now, settings: options.locks }),
    drift: createDriftService({ prisma, providers, audit, notifications, vmActions, policy: options.driftPolicy, now }),
  };
}

export type Services = ReturnType<typeof createServices>;
