// Users and roles. Slack users are registered on first interaction; roles come from the bootstrap
// lists (VM_ADMINS, VM_OPERATORS), else the default role, and admins change them afterwards.
// Sessions: `login` is recorded on the first interaction after the idle window, `logout` by
// `/vm logout` or when the window expires.
import type { Actor, EnvironmentLevel, RequestContext, Role } from "./actor.js";
import type { AuditService } from "./audit-service.js";
import type { AuditSource } from "./audit-actions.js";
import { DomainError, ValidationError } from "./errors.js";
import { authorizeOrAuditDenial } from "./guard.js";
import { levelIn, permissionsOf, type Permission } from "./policy.js";
import type { PrismaClient } from "./prisma-types.js";
import type { User } from "../generated/sqlite/client.js";

export interface RoleBootstrap {
  admins: string[];
  operators: string[];
  defaultRole: Role;
}

export interface SlackIdentity {
  teamId: string;
  slackUserId: string;
  displayName?: string | null;
  email?: string | null;
}

export class DeactivatedUserError extends DomainError {
  constructor() {
    super("Your access to this bot has been deactivated. Ask an admin if this is a mistake.");
  }
}

export class LastAdminError extends DomainError {
  constructor() {
    super("That would leave no admin. Make someone else an admin first.");
  }
}

/** An environment grant as read with the user: only active ones count, and only until they expire. */
export interface GrantRow {
  environmentId: number;
  level: EnvironmentLevel;
  expiresAt: Date | null;
}

/** Include this when reading a user to make an Actor of it. */
export const ACTIVE_GRANTS = { environmentAccess: { where: { status: "active" as const }, select: { environmentId: true, level: true, expiresAt: true } } };

export function toActor(user: User, grants: readonly GrantRow[] = [], at: Date = new Date()): Actor {
  const environments: Record<number, EnvironmentLevel> = {};
  for (const grant of grants) if (!grant.expiresAt || grant.expiresAt > at) environments[grant.environmentId] = grant.level;
  return {
    userId: user.id,
    teamId: user.teamId,
    slackUserId: user.slackUserId,
    displayName: user.displayName,
    role: user.role,
    active: user.active,
    envAdmin: user.envAdmin,
    environments,
  };
}

/** What `whoami` says about the user: their role, and what they may do where. */
export interface WhoAmI {
  actor: Actor;
  lastLoginAt: Date | null;
  /** On the platform: VMs in no environment, settings. */
  permissions: Permission[];
  /** Each environment the user holds access to, with the level that counts and what it allows. */
  environments: { id: number; name: string; level: EnvironmentLevel; permissions: Permission[] }[];
}
/** lastSeenAt is written again only once it is this far behind: not on every interaction. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;
/** Most users the actor cache holds; past it the oldest entries go first. */
const USER_CACHE_MAX_ENTRIES = 10_000;

type UserWithGrants = User & { environmentAccess: GrantRow[] };

export function createUserService(deps: {
  prisma: PrismaClient;
  audit: AuditService;
  bootstrap: RoleBootstrap;
  sessionIdleMinutes: number;
  /** How long a resolved user is reused without reading it again (USER_CACHE_SECONDS); 0 turns the cache off. */
  userCacheMs?: number;
  now?: () => Date;
}) {
  const { prisma, audit, bootstrap } = deps;
  const now = deps.now ?? (() => new Date());
  const idleMs = deps.sessionIdleMinutes * 60_000;
  const userCacheMs = deps.userCacheMs ?? 5_000;

  // The user row and its active grants as last read or written, per team+user: the hot path of every
  // interaction reads nothing while it is fresh. Every change to a user's role, active flag, session or
  // grants in this process calls invalidateUser after its commit; other replicas see it within userCacheMs.
  const cache = new Map<string, { user: UserWithGrants; readAt: number }>();
  const cacheKeyOf = (teamId: string, slackUserId: string) => `${teamId}\u0000${slackUserId}`;

  function remember(user: UserWithGrants, at: Date): void {
    if (userCacheMs <= 0) return;
    const key = cacheKeyOf(user.teamId, user.slackUserId);
    cache.delete(key); // re-inserted last: the Map's order is the eviction order
    if (cache.size >= USER_CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, { user, readAt: at.getTime() });
  }

  /** Forgets what this process knows of a user: call after committing any change to them or their grants. */
  function invalidateUser(userId: number): void {
    for (const [key, entry] of cache) if (entry.user.id === userId) cache.delete(key);
  }

  /** Forgets every user: after the users table was emptied or rewritten behind the services (a reset). */
  function forgetAllUsers(): void {
    cache.clear();
  }

  function bootstrapRoleOf(slackUserId: string): Role {
    if (bootstrap.admins.includes(slackUserId)) return "admin";
    if (bootstrap.operators.includes(slackUserId)) return "operator";
    return bootstrap.defaultRole;
  }

  /** Raises the users named in VM_ADMINS / VM_OPERATORS to their role; run at start-up. */
  async function applyBootstrapRoles(): Promise<number> {
    let changed = 0;
    for (const [role, ids] of [["admin", bootstrap.admins], ["operator", bootstrap.operators]] as const) {
      const users = await prisma.user.findMany({ where: { slackUserId: { in: ids }, role: { not: role } } });
      for (const user of users) {
        if (role === "operator" && user.role === "admin") continue;
        await prisma.$transaction(async (tx) => {
          await tx.user.update({ where: { id: user.id }, data: { role } });
          await audit.record(
            { actor: null, source: "system", action: "role_changed", outcome: "succeeded", details: { target: user.slackUserId, from: user.role, to: role, reason: "bootstrap" } },
            tx,
          );
        });
        invalidateUser(user.id);
        changed++;
      }
    }
    return changed;
  }

  /**
   * The acting user for an interaction: registers them on first sight, keeps the profile fresh,
   * and opens a session (audited `login`) after the idle window. In the steady state (session open,
   * seen within the last minute, read within userCacheMs) it costs no query at all.
   */
  async function resolveActor(identity: SlackIdentity, source: AuditSource): Promise<Actor> {
    const at = now();
    const key = cacheKeyOf(identity.teamId, identity.slackUserId);
    const cached = cache.get(key);
    const fresh = cached && at.getTime() - cached.readAt < userCacheMs ? cached.user : undefined;
    const existing =
      fresh ??
      (await prisma.user.findUnique({
        where: { teamId_slackUserId: { teamId: identity.teamId, slackUserId: identity.slackUserId } },
        include: ACTIVE_GRANTS,
      }));
    if (existing && !existing.active) {
      if (!fresh) remember(existing, at);
      // Whatever they tried is refused here, before any service sees it: the refusal is on record.
      await audit.record({ actor: toActor(existing, [], at), source, action: "login", outcome: "denied", at, details: { reason: "deactivated" } });
      throw new DeactivatedUserError();
    }
    const sessionExpired = !!existing?.sessionOpen && !!existing.lastSeenAt && at.getTime() - existing.lastSeenAt.getTime() > idleMs;
    const opensSession = !existing?.sessionOpen || sessionExpired;
    const profile = {
      ...(identity.displayName && identity.displayName !== existing?.displayName ? { displayName: identity.displayName } : {}),
      ...(identity.email && identity.email !== existing?.email ? { email: identity.email } : {}),
    };

    if (existing && !opensSession && !Object.keys(profile).length) {
      const seenLongAgo = !existing.lastSeenAt || at.getTime() - existing.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS;
      if (!seenLongAgo) {
        if (!fresh) remember(existing, at);
        return toActor(existing, existing.environmentAccess, at);
      }
      // Claimed against the value read: if another request or replica moved it (or closed the session)
      // meanwhile, nothing is written here and the slow path below reads the user again.
      const { count } = await prisma.user.updateMany({
        where: { id: existing.id, active: true, sessionOpen: true, lastSeenAt: existing.lastSeenAt },
        data: { lastSeenAt: at },
      });
      if (count === 1) {
        remember({ ...existing, lastSeenAt: at }, at);
        return toActor(existing, existing.environmentAccess, at);
      }
      invalidateUser(existing.id);
      return resolveActorFromDatabase(identity, source, at);
    }
    if (fresh) return resolveActorFromDatabase(identity, source, at); // about to write: start from the row as it is now
    return openSessionOnce(identity, source, at, existing, profile, sessionExpired, opensSession);
  }

  async function resolveActorFromDatabase(identity: SlackIdentity, source: AuditSource, at: Date): Promise<Actor> {
    const existing = await prisma.user.findUnique({
      where: { teamId_slackUserId: { teamId: identity.teamId, slackUserId: identity.slackUserId } },
      include: ACTIVE_GRANTS,
    });
    if (existing && !existing.active) {
      // Whatever they tried is refused here, before any service sees it: the refusal is on record.
      await audit.record({ actor: toActor(existing, [], at), source, action: "login", outcome: "denied", at, details: { reason: "deactivated" } });
      throw new DeactivatedUserError();
    }
    const sessionExpired = !!existing?.sessionOpen && !!existing.lastSeenAt && at.getTime() - existing.lastSeenAt.getTime() > idleMs;
    const profile = {
      ...(identity.displayName ? { displayName: identity.displayName } : {}),
      ...(identity.email ? { email: identity.email } : {}),
    };
    return openSessionOnce(identity, source, at, existing, profile, sessionExpired, !existing?.sessionOpen || sessionExpired);
  }

  /**
   * openSession, for a user seen for the first time by two interactions at once (a double click, a retried
   * delivery): the other one registered them (the unique team+user index refused this insert), so this one is
   * a visit of a known user.
   */
  async function openSessionOnce(...args: Parameters<typeof openSession>): Promise<Actor> {
    try {
      return await openSession(...args);
    } catch (error) {
      const [identity, source, at, existing] = args;
      if (!existing && (error as { code?: string }).code === "P2002") return resolveActorFromDatabase(identity, source, at);
      throw error;
    }
  }

  /** Registers the user or records their visit, and audits the session opening (and the idle logout before it). */
  async function openSession(
    identity: SlackIdentity,
    source: AuditSource,
    at: Date,
    existing: UserWithGrants | null,
    profile: { displayName?: string; email?: string },
    sessionExpired: boolean,
    opensSession: boolean,
  ): Promise<Actor> {
    const user = await prisma.$transaction(async (tx) => {
      const user = existing
        ? await tx.user.update({
            where: { id: existing.id },
            data: { ...profile, lastSeenAt: at, sessionOpen: true, ...(opensSession ? { lastLoginAt: at } : {}) },
          })
        : await tx.user.create({
            data: { teamId: identity.teamId, slackUserId: identity.slackUserId, ...profile, role: bootstrapRoleOf(identity.slackUserId), lastSeenAt: at, lastLoginAt: at, sessionOpen: true },
          });
      const actor = toActor(user, existing?.environmentAccess ?? [], at);
      if (sessionExpired && existing?.lastSeenAt) {
        await audit.record(
          { actor, source: "system", action: "logout", outcome: "succeeded", at: new Date(existing.lastSeenAt.getTime() + idleMs), details: { reason: "idle" } },
          tx,
        );
      }
      if (opensSession) {
        await audit.record({ actor, source, action: "login", outcome: "succeeded", at, details: existing ? {} : { firstSeen: true } }, tx);
      }
      return user;
    });
    const grants = existing?.environmentAccess ?? [];
    remember({ ...user, environmentAccess: grants }, at);
    return toActor(user, grants, at);
  }

  async function logout(ctx: RequestContext): Promise<void> {
    await prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: ctx.actor.userId }, data: { sessionOpen: false } });
      await audit.record({ actor: ctx.actor, source: ctx.source, action: "logout", outcome: "succeeded", details: { reason: "requested" } }, tx);
    });
    invalidateUser(ctx.actor.userId);
  }

  /** Ends sessions idle past the window (run on a schedule); returns how many were closed. */
  async function closeIdleSessions(): Promise<number> {
    const cutoff = new Date(now().getTime() - idleMs);
    const idle = await prisma.user.findMany({ where: { sessionOpen: true, lastSeenAt: { lt: cutoff } } });
    for (const user of idle) {
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.user.updateMany({ where: { id: user.id, sessionOpen: true, lastSeenAt: user.lastSeenAt }, data: { sessionOpen: false } });
        if (count === 0) return; // the user came back meanwhile
        await audit.record(
          { actor: toActor(user), source: "system", action: "logout", outcome: "succeeded", at: new Date(user.lastSeenAt!.getTime() + idleMs), details: { reason: "idle" } },
          tx,
        );
      });
      invalidateUser(user.id);
    }
    return idle.length;
  }

  async function changeRole(ctx: RequestContext, target: { slackUserId: string; teamId?: string }, role: Role) {
    const details = { target: target.slackUserId, to: role };
    await authorizeOrAuditDenial(audit, ctx, "role_change", { action: "role_changed", details });
    if (!/^[UW][A-Z0-9]{2,}$/.test(target.slackUserId)) throw new ValidationError(`"${target.slackUserId}" is not a Slack user.`);
    const teamId = target.teamId ?? ctx.actor.teamId;
    return prisma.$transaction(async (tx) => {
      const before = await tx.user.findUnique({ where: { teamId_slackUserId: { teamId, slackUserId: target.slackUserId } } });
      if (before?.role === "admin" && role !== "admin") {
        const admins = await tx.user.count({ where: { teamId, role: "admin", active: true } });
        if (admins <= 1) throw new LastAdminError();
      }
      const user = await tx.user.upsert({
        where: { teamId_slackUserId: { teamId, slackUserId: target.slackUserId } },
        update: { role },
        create: { teamId, slackUserId: target.slackUserId, role },
      });
      await audit.record(
        { actor: ctx.actor, source: ctx.source, action: "role_changed", outcome: "succeeded", details: { ...details, from: before?.role ?? bootstrapRoleOf(target.slackUserId) } },
        tx,
      );
      return { user: toActor(user), previousRole: before?.role ?? null };
    }).then((changed) => {
      invalidateUser(changed.user.userId);
      return changed;
    });
  }

  async function updateProfile(userId: number, profile: { displayName?: string | null; email?: string | null }) {
    await prisma.user.update({
      where: { id: userId },
      data: { ...(profile.displayName ? { displayName: profile.displayName } : {}), ...(profile.email ? { email: profile.email } : {}) },
    });
    invalidateUser(userId);
  }

  /**
   * The user's own record and what they may do: on the platform (`permissions`) and in each environment
   * they hold access to. `audited: false` when it is part of a surface audited on its own (App Home).
   */
  async function whoami(ctx: RequestContext, options = { audited: true }): Promise<WhoAmI> {
    const user = await prisma.user.findUniqueOrThrow({ where: { id: ctx.actor.userId }, include: ACTIVE_GRANTS });
    if (options.audited) await audit.record({ actor: ctx.actor, source: ctx.source, action: "view", outcome: "succeeded", details: { surface: "whoami" } });
    const actor = toActor(user, user.environmentAccess, now());
    const granted = await prisma.environment.findMany({ where: { id: { in: Object.keys(actor.environments).map(Number) } }, orderBy: { name: "asc" }, select: { id: true, name: true } });
    const environments = granted.map((environment) => ({
      ...environment,
      level: levelIn(actor, environment.id)!,
      permissions: permissionsOf(actor, { environmentId: environment.id }),
    }));
    return { actor, lastLoginAt: user.lastLoginAt, permissions: permissionsOf(actor), environments };
  }

  return { applyBootstrapRoles, resolveActor, invalidateUser, forgetAllUsers, updateProfile, logout, closeIdleSessions, changeRole, whoami, bootstrapRoleOf };
}

export type UserService = ReturnType<typeof createUserService>;
