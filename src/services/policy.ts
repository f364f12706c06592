// The one authorization policy: the seed's permission matrix, one row per capability. Every service read and
// action asks it; the Slack layer hiding a button is only a courtesy. A refusal throws ForbiddenError, which
// the calling service audits as `denied`.
//
// A row says who holds the capability where it applies:
// - outside any environment (platform scope: VMs in no environment, settings): the least global role;
// - inside one environment: the least access level the user holds there (`anyone`: every active user;
//   `null`: global admins only). The global role does not reach into environments, except that a global
//   admin holds every row everywhere. An `admin` grant counts only while the user keeps the env_admin flag.
import type { Actor, EnvironmentLevel, Role } from "./actor.js";
import { DeactivatedActorError, ForbiddenError } from "./errors.js";

export interface PolicyRow {
  /** The capability as the seed's matrix names it. */
  seed: string;
  platform: Role;
  environment: EnvironmentLevel | "anyone" | null;
}

export const POLICY = {
  vm_view: { seed: "View assigned environments and their VMs", platform: "viewer", environment: "viewer" },
  access_request: { seed: "Request access", platform: "viewer", environment: "anyone" },
  access_grant: { seed: "Grant, approve or revoke access", platform: "admin", environment: "admin" },
  env_admin_promote: { seed: "Promote to env_admin / global admin", platform: "admin", environment: null },
  vm_start: { seed: "Start VMs and environments", platform: "operator", environment: "user" },
  vm_stop: { seed: "Stop VMs and environments", platform: "operator", environment: "user" },
  reboot: { seed: "Reboot VMs", platform: "operator", environment: "user" },
  dependency_override: { seed: "Force stop / override dependencies", platform: "admin", environment: "admin" },
  lock_acquire: { seed: "Acquire and release locks", platform: "operator", environment: "user" },
  lock_break: { seed: "Break another user's lock", platform: "admin", environment: "admin" },
  snapshot_view: { seed: "View snapshots", platform: "viewer", environment: "viewer" },
  snapshot_create: { seed: "Create snapshots", platform: "operator", environment: "user" },
  snapshot_restore: { seed: "Restore snapshots", platform: "operator", environment: "user" },
  snapshot_delete: { seed: "Delete snapshots", platform: "operator", environment: "user" },
  audit_view_own: { seed: "View own audit", platform: "viewer", environment: "anyone" },
  audit_view_environment: { seed: "View environment audit", platform: "admin", environment: "admin" },
  audit_view_platform: { seed: "View platform audit", platform: "admin", environment: null },
  audit_export: { seed: "Export audit", platform: "admin", environment: "admin" },
  environment_settings: { seed: "Manage environment settings", platform: "admin", environment: "admin" },
  vm_register: { seed: "Register VMs", platform: "admin", environment: null },
  vm_delete: { seed: "Remove VMs from the inventory", platform: "admin", environment: null },
  group_manage: { seed: "Manage groups", platform: "admin", environment: "admin" },
  role_change: { seed: "System configuration: global roles", platform: "admin", environment: null },
  jobs_view: { seed: "System configuration: job log", platform: "admin", environment: null },
} as const satisfies Record<string, PolicyRow>;

export type Permission = keyof typeof POLICY;
export const PERMISSIONS = Object.keys(POLICY) as Permission[];

/** Where an action applies: one environment, or the platform (`null`: VMs in no environment, settings). */
export type Scope = { environmentId: number | null; /** for the refusal's wording */ environmentName?: string };
export const PLATFORM: Scope = { environmentId: null };

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
const LEVEL_RANK: Record<EnvironmentLevel, number> = { viewer: 0, user: 1, admin: 2 };

/** The level that counts in an environment: none, or the grant (an admin grant without the flag acts as user). */
export function levelIn(actor: Pick<Actor, "environments" | "envAdmin">, environmentId: number): EnvironmentLevel | null {
  const level = actor.environments[environmentId] ?? null;
  return level === "admin" && !actor.envAdmin ? "user" : level;
}

export function can(actor: Pick<Actor, "role" | "active" | "environments" | "envAdmin">, permission: Permission, scope: Scope = PLATFORM): boolean {
  if (!actor.active) return false;
  if (actor.role === "admin") return true;
  const row: PolicyRow = POLICY[permission];
  if (scope.environmentId === null) return ROLE_RANK[actor.role] >= ROLE_RANK[row.platform];
  if (row.environment === null) return false;
  if (row.environment === "anyone") return true;
  const level = levelIn(actor, scope.environmentId);
  return level !== null && LEVEL_RANK[level] >= LEVEL_RANK[row.environment];
}

/** Throws unless the actor holds `permission` in `scope`; a deactivated user is refused everything. */
export function authorize(actor: Actor, permission: Permission, scope: Scope = PLATFORM): void {
  if (!actor.active) throw new DeactivatedActorError(permission, actor.role);
  if (!can(actor, permission, scope)) throw new ForbiddenError(permission, actor.role, scope.environmentId === null ? undefined : (scope.environmentName ?? `#${scope.environmentId}`));
}

/** What the actor may do in a scope: what the Slack layer uses to decide which controls to show. */
export function permissionsOf(actor: Pick<Actor, "role" | "active" | "environments" | "envAdmin">, scope: Scope = PLATFORM): Permission[] {
  return PERMISSIONS.filter((permission) => can(actor, permission, scope));
}

/**
 * The environments whose contents the actor may see with `permission` (e.g. vm_view, audit_view_environment):
 * `"all"` for a global admin, else the ids where their level suffices. Used to scope list queries.
 */
export function environmentsWhere(actor: Actor, permission: Permission): "all" | number[] {
  if (!actor.active) return [];
  if (actor.role === "admin") return "all";
  return Object.keys(actor.environments).map(Number).filter((environmentId) => can(actor, permission, { environmentId }));
}
