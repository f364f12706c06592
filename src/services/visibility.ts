// Where things sit in the policy's scopes, and the query fragments that show each user only what the
// matrix lets them see. Every VM, environment and audit-log query of the services goes through these, so a
// list, a count, a typeahead and a status card can never disagree about what a user may see.
import type { Actor } from "./actor.js";
import { can, environmentsWhere, PLATFORM, type Permission, type Scope } from "./policy.js";
import type { Prisma } from "./prisma-types.js";

/** Matches no row: what a deactivated user sees. */
const NOTHING = { id: { in: [] as number[] } };

/** Select this with a VM to know its scope: its group's environment (none: the platform). */
export const vmScopeSelect = { group: { select: { environmentId: true, environment: { select: { name: true } } } } } satisfies Prisma.VmSelect;

export function scopeOfVm(vm: { group: { environmentId: number; environment: { name: string } } | null }): Scope {
  return vm.group ? { environmentId: vm.group.environmentId, environmentName: vm.group.environment.name } : PLATFORM;
}

/**
 * The VMs the actor holds `permission` on (by default: may see). VMs outside any environment follow the
 * global role; a VM in an environment needs the level the matrix asks there.
 */
export function visibleVmWhere(actor: Actor, permission: Permission = "vm_view"): Prisma.VmWhereInput {
  if (!actor.active) return NOTHING;
  const environments = environmentsWhere(actor, permission);
  if (environments === "all") return {};
  const scopes: Prisma.VmWhereInput[] = [{ group: { environmentId: { in: environments } } }];
  if (can(actor, permission, PLATFORM)) scopes.push({ groupId: null });
  return { OR: scopes };
}

/** The environments the actor may open (`vm_view` there): lists, the App Home. */
export function visibleEnvironmentWhere(actor: Actor): Prisma.EnvironmentWhereInput {
  if (!actor.active) return NOTHING;
  const environments = environmentsWhere(actor, "vm_view");
  return environments === "all" ? {} : { id: { in: environments } };
}

/**
 * The audit entries the actor may read: a global admin all of them; anyone else their own entries and
 * those of the environments where they hold `audit_view_environment`.
 */
export function visibleAuditWhere(actor: Actor): Prisma.AuditLogWhereInput {
  if (!actor.active) return NOTHING;
  if (can(actor, "audit_view_platform", PLATFORM)) return {};
  const environments = environmentsWhere(actor, "audit_view_environment");
  const mine: Prisma.AuditLogWhereInput = { userId: actor.userId };
  if (environments === "all") return {};
  return environments.length ? { OR: [mine, { environmentId: { in: environments } }] } : mine;
}
