// The one "authorize, audit the denial, rethrow" step that every read and every action takes.
import type { RequestContext } from "./actor.js";
import type { AuditEntryInput, AuditService } from "./audit-service.js";
import { authorize, PLATFORM, type Permission, type Scope } from "./policy.js";
import type { Db } from "./prisma-types.js";

/** What the denial is recorded as: the action refused and what it was about. */
export type DenialEntry = Omit<AuditEntryInput, "actor" | "source" | "outcome" | "at">;

/**
 * Throws ForbiddenError when the actor may not do `permission`, after recording the refusal as
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
