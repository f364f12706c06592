// The one "authorize, audit the denial, rethrow" step that every read and every action takes.
import type { RequestContext } from "./actor.js";
import type { AuditEntryInput, AuditService } from "./audit-service.js";
import { DeactivatedActorError, ForbiddenError } from "./errors.js";
import { authorize, can, PLATFORM, type Permission, type Scope } from "./policy.js";
import type { Db } from "./prisma-types.js";

/** What the denial is recorded as: the action refused and what it was about. */
export type DenialEntry = Omit<AuditEntryInput, "actor" | "source" | "outcome" | "at">;

/**
 * Throws ForbiddenError when the actor may not do `permission` in `scope`, after recording the refusal as
 * `denied` (one entry, or one per VM for a batch). Never fails open: the denial is recorded first.
 */
export async function authorizeOrAuditDenial(
  audit: Pick<AuditService, "recordMany">,
  ctx: RequestContext,
  permission: Permission,
  denial: DenialEntry | DenialEntry[],
  db?: Db,
  scope: Scope = PLATFORM,
): Promise<void> {
  try {
    authorize(ctx.actor, permission, scope);
  } catch (error) {
    const entries = (Array.isArray(denial) ? denial : [denial]).map((entry) => ({ ...entry, actor: ctx.actor, source: ctx.source, outcome: "denied" as const }));
    await audit.recordMany(entries, db);
    throw error;
  }
}

/**
 * The same for a batch whose items sit in different scopes (VMs of several environments): all or nothing.
 * When any item is refused, each refused item is recorded as `denied` and the first refusal is thrown
 * (one in an environment before one on the platform, so the user learns where to ask for access).
 */
export async function authorizeEachOrAuditDenial(
  audit: Pick<AuditService, "recordMany">,
  ctx: RequestContext,
  permission: Permission,
  items: { scope: Scope; denial: DenialEntry }[],
  db?: Db,
): Promise<void> {
  const refused: { denial: DenialEntry; error: unknown; inEnvironment: boolean }[] = [];
  for (const { scope, denial } of items) {
    try {
      authorize(ctx.actor, permission, scope);
    } catch (error) {
      refused.push({ denial, error, inEnvironment: scope.environmentId !== null });
    }
  }
  if (!refused.length) return;
  await audit.recordMany(refused.map(({ denial }) => ({ ...denial, actor: ctx.actor, source: ctx.source, outcome: "denied" as const })), db);
  throw (refused.find((refusal) => refusal.inEnvironment) ?? refused[0]!).error;
}

/**
 * For a read of one thing (a VM's status card, its snapshots): when the actor may not even see it there
 * (`vm_view`), the refusal is still audited but answers exactly like a thing that does not exist, so names
 * outside one's environments are not confirmed.
 */
export async function authorizeReadOrHide(
  audit: Pick<AuditService, "recordMany">,
  ctx: RequestContext,
  permission: Permission,
  denial: DenialEntry,
  scope: Scope,
  hidden: () => Error,
): Promise<void> {
  try {
    await authorizeOrAuditDenial(audit, ctx, permission, denial, undefined, scope);
  } catch (error) {
    const unseen = error instanceof ForbiddenError && !(error instanceof DeactivatedActorError) && !can(ctx.actor, "vm_view", scope);
    throw unseen ? hidden() : error;
  }
}
