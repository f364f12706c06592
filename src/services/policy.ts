// The one authorization policy. Every service action asks it; the Slack layer hiding a button is
// only a courtesy. A refusal throws ForbiddenError, which the calling service audits as `denied`.
import type { Actor, Role } from "./actor.js";
import { DeactivatedActorError, ForbiddenError } from "./errors.js";

export const PERMISSIONS = [
  "vm_view",
  "vm_start",
  "vm_stop",
  "reboot",
  "vm_delete",
  "snapshot_view",
  "snapshot_create",
  "snapshot_restore",
  "snapshot_delete",
  "audit_view",
  "audit_export",
  "role_change",
  "jobs_view",
  /** Act against an environment's dependencies: force a stop, override them on a start (with a reason). */
  "dependency_override",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: Permission[] = ["vm_view", "snapshot_view", "audit_view"];
const OPERATOR: Permission[] = [
  ...VIEWER,
  "vm_start",
  "vm_stop",
  "reboot",
  "snapshot_create",
  "snapshot_restore",
  "snapshot_delete",
  "audit_export",
];
const ADMIN: Permission[] = [...OPERATOR, "vm_delete", "role_change", "jobs_view", "dependency_override"];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(VIEWER),
  operator: new Set(OPERATOR),
  admin: new Set(ADMIN),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

/** A deactivated user is refused everything (reads included), not only what their role lacks. */
export function authorize(actor: Actor, permission: Permission): void {
  if (!actor.active) throw new DeactivatedActorError(permission, actor.role);
  if (!can(actor.role, permission)) throw new ForbiddenError(permission, actor.role);
}

/** Which of the actions a role may take: what the Slack layer uses to decide which controls to show. */
export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}
