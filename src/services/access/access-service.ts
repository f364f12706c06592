// Environment access: requests approved (or denied) by the environment's admins and the global admins, direct
// grants and revokes, the env_admin flag, and the scheduled expiry of requests and temporary grants.
// Correct under concurrency by construction: a request is filed under the environment's row lock (one pending
// request per user, environment and level), the first decision wins by one conditional update, and every
// change commits with its audit rows and its notifications (the outbox) in one transaction.
import { serializeEnvironments } from "../environments/environment-row-lock.js";
import { environmentAdminIds } from "./environment-admins.js";
import type { EnvironmentLevel, RequestContext, Role } from "../actor.js";
import type { AuditService } from "../audit-service.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import { authorizeOrAuditDenial } from "../guard.js";
import type { NotificationService } from "../notifications/notification-service.js";
import { PLATFORM, type Scope } from "../policy.js";
import type { Db, PrismaClient } from "../prisma-types.js";
import { checked, denialReasonSchema, describeDuration, justificationSchema, MAX_ACCESS_HOURS } from "./validation.js";

export interface AccessSettings {
  /** A pending request lapses after this many days (ACCESS_REQUEST_TTL_DAYS). */
  requestTtlDays: number;
  /** The holder of temporary access is warned this long before it ends. */
  warnBeforeHours: number;
}

export const DEFAULT_ACCESS_SETTINGS: AccessSettings = { requestTtlDays: 7, warnBeforeHours: 24 };
const LEVEL_RANK: Record<EnvironmentLevel, number> = { viewer: 0, user: 1, admin: 2 };
const HOUR_MS = 3_600_000;
/** Rows one scheduled run handles; the next run takes the rest. */
const JOB_BATCH = 200;

/** Someone decided first (or the request lapsed): who, what and when, for "Ada already approved this at 10:02". */
export class AccessRequestDecidedError extends ConflictError {
  constructor(readonly outcome: { status: string; deciderName: string | null; decidedAt: Date | null }) {
    super(describeOutcome(outcome));
  }
}

function describeOutcome(outcome: AccessRequestDecidedError["outcome"]): string {
  const at = outcome.decidedAt ? ` at ${outcome.decidedAt.toISOString().slice(11, 16)} UTC` : "";
  if (outcome.status === "approved" || outcome.status === "denied") return `${outcome.deciderName ?? "Someone"} already ${outcome.status} this${at}.`;
  if (outcome.status === "expired") return "This request expired without a decision.";
  return `This request was ${outcome.status}.`;
}

/** The key of one approver's notification about one request; the prefix (without the user) finds them all. */
export function approverDedupeKey(requestId: number, userId?: number): string {
  return `access_request:${requestId}:approver:${userId ?? ""}`;
}

export interface AccessRequestInput {
  environment: string;
  level: EnvironmentLevel;
  /** null: until revoked. */
  durationHours: number | null;
  justification: string;
}

export interface UserRef {
  slackUserId: string;
  teamId?: string;
  /** The name Slack showed in the mention, used if the bot has not met the user yet. */
  displayName?: string | null;
}

export interface AccessListing {
  environment: string;
  grants: { slackUserId: string; name: string; level: EnvironmentLevel; effectiveLevel: EnvironmentLevel; expiresAt: Date | null; grantedBy: string | null; grantedAt: Date }[];
  pending: { id: number; slackUserId: string; name: string; level: EnvironmentLevel; durationHours: number | null; reason: string | null; createdAt: Date; expiresAt: Date | null }[];
}

type Named = { displayName: string | null; slackUserId: string };
const nameOf = (user: Named) => user.displayName ?? user.slackUserId;
const scopeOf = (environment: { id: number; name: string }): Scope => ({ environmentId: environment.id, environmentName: environment.name });
const until = (expiresAt: Date | null) => (expiresAt ? `until ${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "until revoked");

export function createAccessService(deps: {
  prisma: PrismaClient;
  audit: AuditService;
  notifications: Pick<NotificationService, "notify" | "resolve">;
  /** The role a user first met here gets (the bootstrap lists, else the default role). */
  roleOf: (slackUserId: string) => Role;
  now?: () => Date;
  settings?: Partial<AccessSettings>;
  /** Called after every committed change of someone's access (grant, revoke, expiry, env_admin flag): drop cached actors. */
  onAccessChanged?: (userId: number) => void;
}) {
  const { prisma, audit, notifications } = deps;
  const now = deps.now ?? (() => new Date());
  const settings = { ...DEFAULT_ACCESS_SETTINGS, ...deps.settings };

  function accessChanged(userId: number): void {
    deps.onAccessChanged?.(userId);
  }

  async function environmentNamed(name: string): Promise<{ id: number; name: string }> {
    const environment = await prisma.environment.findUnique({ where: { name }, select: { id: true, name: true } });
    if (!environment) throw new NotFoundError(`No environment named "${name}". \`/vm env list\` shows them.`);
    return environment;
  }

  async function userOf(ctx: RequestContext, ref: UserRef, options: { create: boolean }) {
    if (!/^[UW][A-Z0-9]{2,}$/.test(ref.slackUserId)) throw new ValidationError(`"${ref.slackUserId}" is not a Slack user: mention them, e.g. @alice.`);
    const teamId = ref.teamId ?? ctx.actor.teamId;
    const where = { teamId_slackUserId: { teamId, slackUserId: ref.slackUserId } };
    if (!options.create) return prisma.user.findUnique({ where });
    return prisma.user.upsert({ where, update: {}, create: { teamId, slackUserId: ref.slackUserId, displayName: ref.displayName || null, role: deps.roleOf(ref.slackUserId) } });
  }

  /** One conditional upsert of the user's one row for the environment: active from now, at this level. */
  function writeGrant(db: Db, grant: { environmentId: number; userId: number; level: EnvironmentLevel; expiresAt: Date | null; grantedById: number; at: Date }) {
    const data = { level: grant.level, status: "active" as const, expiresAt: grant.expiresAt, grantedById: grant.grantedById, grantedAt: grant.at, revokedAt: null, warnedAt: null };
    return db.environmentAccess.upsert({
      where: { environmentId_userId: { environmentId: grant.environmentId, userId: grant.userId } },
      update: data,
      create: { environmentId: grant.environmentId, userId: grant.userId, ...data },
    });
  }

  function requireEnvAdminFlag(user: Named & { envAdmin: boolean }, level: EnvironmentLevel): void {
    if (level === "admin" && !user.envAdmin) {
      throw new ValidationError(
        `${nameOf(user)} is not flagged env_admin, so cannot be an environment admin. A global admin can set the flag with \`/vm role @user env_admin on\`; otherwise grant user access.`,
      );
    }
  }

  /**
   * Files a request (pending until decided or ACCESS_REQUEST_TTL_DAYS pass) and notifies every approver.
   * A second pending request for the same environment and level is refused, naming the first.
   */
  async function requestAccess(ctx: RequestContext, input: AccessRequestInput) {
    const environment = await environmentNamed(input.environment);
    const details = { environment: environment.name, level: input.level, durationHours: input.durationHours };
    await authorizeOrAuditDenial(audit, ctx, "access_request", { action: "access_requested", environmentId: environment.id, details }, undefined, scopeOf(environment));
    const justification = checked(justificationSchema, input.justification);
    if (input.durationHours !== null && (input.durationHours < 1 || input.durationHours > MAX_ACCESS_HOURS)) throw new ValidationError(`Temporary access lasts from 1 hour to ${MAX_ACCESS_HOURS / 24} days.`);
    if (ctx.actor.role === "admin") throw new ValidationError("You are a global admin: you already hold every access.");
    const at = now();
    const held = await prisma.environmentAccess.findUnique({ where: { environmentId_userId: { environmentId: environment.id, userId: ctx.actor.userId } } });
    const holds = held && held.status === "active" && (!held.expiresAt || held.expiresAt > at);
    if (holds && !held.expiresAt && LEVEL_RANK[held.level] >= LEVEL_RANK[input.level]) {
      throw new ValidationError(`You already have ${held.level} access to ${environment.name}.`);
    }
    const expiresAt = new Date(at.getTime() + settings.requestTtlDays * 24 * HOUR_MS);

    const filed = await prisma.$transaction(async (tx) => {
      // One request filing per environment at a time (a row lock): two clicks cannot both pass the check below.
      await serializeEnvironments(tx, [environment.id]);
      const pending = await tx.accessRequest.findFirst({
        where: { environmentId: environment.id, requesterId: ctx.actor.userId, requestedLevel: input.level, status: "pending", OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
      });
      if (pending) return { duplicate: pending, request: null, approvers: 0 };
      const request = await tx.accessRequest.create({
        data: { environmentId: environment.id, requesterId: ctx.actor.userId, requestedLevel: input.level, durationHours: input.durationHours, reason: justification, expiresAt, createdAt: at },
      });
      await audit.record({ actor: ctx.actor, source: ctx.source, action: "access_requested", outcome: "succeeded", environmentId: environment.id, at, details: { ...details, requestId: request.id, justification } }, tx);
      const approvers = (await environmentAdminIds(tx, environment.id, at, ctx.actor.userId)).map((id) => ({ id }));
      const requester = nameOf(ctx.actor);
      await notifications.notify(
        approvers.map((approver) => ({
          userId: approver.id,
          kind: "access_request_pending" as const,
          dedupeKey: approverDedupeKey(request.id, approver.id),
          link: { environment: environment.name, requestId: request.id },
          payload: {
            text: `${requester} asks for ${input.level} access to ${environment.name} (${describeDuration(input.durationHours)}): "${justification}"`,
            facts: {
              Environment: environment.name,
              Level: input.level,
              For: describeDuration(input.durationHours),
              "Request expires": expiresAt.toISOString().slice(0, 10),
              ...(input.level === "admin" && !ctx.actor.envAdmin ? { Note: `${requester} is not flagged env_admin: approving will be refused until a global admin sets it` } : {}),
            },
            actions: [
              { verb: "access_approve" as const, value: String(request.id) },
              { verb: "access_deny" as const, value: String(request.id) },
            ],
          },
        })),
        tx,
      );
      return { duplicate: null, request, approvers: approvers.length };
    });
    if (!filed.request) {
      const pending = filed.duplicate!;
      throw new ConflictError(
        `You already asked for ${pending.requestedLevel} access to ${environment.name} (request #${pending.id}, ${pending.createdAt.toISOString().slice(0, 10)}); it is waiting for an admin.`,
      );
    }
    return { id: filed.request.id, environment: environment.name, level: input.level, durationHours: input.durationHours, expiresAt, approvers: filed.approvers };
  }

  async function decidedError(requestId: number): Promise<AccessRequestDecidedError> {
    const request = await prisma.accessRequest.findUniqueOrThrow({ where: { id: requestId }, include: { decidedBy: { select: { displayName: true, slackUserId: true } } } });
    const outcome = { status: request.status, deciderName: request.decidedBy ? nameOf(request.decidedBy) : null, decidedAt: request.decidedAt };
    // Redraw the approvers' DMs in case one was delivered while the decision was being made.
    if (request.status !== "pending") await notifications.resolve(approverDedupeKey(requestId), resolutionOf(outcome));
    return new AccessRequestDecidedError(outcome);
  }

  function resolutionOf(outcome: AccessRequestDecidedError["outcome"]): string {
    if (outcome.status === "approved" || outcome.status === "denied") {
      const at = outcome.decidedAt ? ` at ${outcome.decidedAt.toISOString().slice(11, 16)} UTC` : "";
      return `${outcome.status === "approved" ? "Approved" : "Denied"} by ${outcome.deciderName ?? "someone"}${at}`;
    }
    return outcome.status === "expired" ? "Expired without a decision" : `Request ${outcome.status}`;
  }

  async function loadRequest(requestId: number) {
    const request = await prisma.accessRequest.findUnique({
      where: { id: requestId },
      include: { environment: { select: { id: true, name: true } }, requester: { select: { id: true, slackUserId: true, displayName: true, envAdmin: true } } },
    });
    if (!request) throw new NotFoundError("That access request no longer exists.");
    return request;
  }

  /** The request an approver is about to decide (to open the Deny modal): refused if they may not, or it is settled. */
  async function pendingRequestForDecision(ctx: RequestContext, requestId: number) {
    const request = await loadRequest(requestId);
    await authorizeOrAuditDenial(audit, ctx, "access_grant", { action: "access_denied", environmentId: request.environmentId, details: { requestId } }, undefined, scopeOf(request.environment));
    if (request.status !== "pending" || (request.expiresAt && request.expiresAt <= now())) throw await decidedError(requestId);
    return { id: request.id, environment: request.environment.name, level: request.requestedLevel, requester: { slackUserId: request.requester.slackUserId, name: nameOf(request.requester) } };
  }

  /**
   * Approves or denies a pending request. The first decision wins (one conditional update); the decision,
   * the grant, the audit rows and the requester's notification commit together; then every approver's DM
   * is redrawn with who decided.
   */
  async function decide(ctx: RequestContext, requestId: number, decision: { approve: true } | { approve: false; reason: string }) {
    const request = await loadRequest(requestId);
    const action = decision.approve ? "access_granted" : "access_denied";
    const details = { requestId, target: request.requester.slackUserId, level: request.requestedLevel };
    await authorizeOrAuditDenial(audit, ctx, "access_grant", { action, environmentId: request.environmentId, details }, undefined, scopeOf(request.environment));
    if (request.requesterId === ctx.actor.userId) throw new ValidationError("You cannot decide your own request.");
    const reason = decision.approve ? null : checked(denialReasonSchema, decision.reason);
    if (decision.approve && request.status === "pending") requireEnvAdminFlag(request.requester, request.requestedLevel);
    const at = now();
    const grantExpiresAt = request.durationHours ? new Date(at.getTime() + request.durationHours * HOUR_MS) : null;
    const environment = request.environment.name;
    const decider = nameOf(ctx.actor);

    const won = await prisma.$transaction(async (tx) => {
      const claimed = await tx.accessRequest.updateMany({
        where: { id: requestId, status: "pending", OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
        data: { status: decision.approve ? "approved" : "denied", decidedById: ctx.actor.userId, decidedAt: at, decisionNote: reason },
      });
      if (claimed.count === 0) return false;
      if (decision.approve) {
        await writeGrant(tx, { environmentId: request.environmentId, userId: request.requesterId, level: request.requestedLevel, expiresAt: grantExpiresAt, grantedById: ctx.actor.userId, at });
      }
      await audit.record(
        { actor: ctx.actor, source: ctx.source, action, outcome: "succeeded", environmentId: request.environmentId, at, details: { ...details, ...(decision.approve ? { expiresAt: grantExpiresAt?.toISOString() ?? null } : { reason }) } },
        tx,
      );
      await notifications.notify(
        {
          userId: request.requesterId,
          kind: decision.approve ? "access_granted" : "access_denied",
          link: { environment, requestId },
          payload: decision.approve
            ? { text: `${decider} approved your request: you have ${request.requestedLevel} access to ${environment} ${until(grantExpiresAt)}.`, facts: { Environment: environment, Level: request.requestedLevel } }
            : { text: `${decider} denied your request for ${request.requestedLevel} access to ${environment}.`, facts: { Reason: reason! } },
        },
        tx,
      );
      return true;
    });
    if (!won) throw await decidedError(requestId);
    await notifications.resolve(approverDedupeKey(requestId), resolutionOf({ status: decision.approve ? "approved" : "denied", deciderName: decider, decidedAt: at }));
    if (decision.approve) accessChanged(request.requesterId);
    return {
      id: requestId,
      approved: decision.approve,
      environment,
      level: request.requestedLevel,
      requester: { slackUserId: request.requester.slackUserId, name: nameOf(request.requester) },
      expiresAt: grantExpiresAt,
    };
  }

  /** An admin of the environment (or a global admin) gives access directly; re-granting replaces the level and expiry. */
  async function grant(ctx: RequestContext, input: { target: UserRef; environment: string; level: EnvironmentLevel; durationHours: number | null }) {
    const environment = await environmentNamed(input.environment);
    const details = { target: input.target.slackUserId, level: input.level, durationHours: input.durationHours, direct: true };
    await authorizeOrAuditDenial(audit, ctx, "access_grant", { action: "access_granted", environmentId: environment.id, details }, undefined, scopeOf(environment));
    if (input.durationHours !== null && (input.durationHours < 1 || input.durationHours > MAX_ACCESS_HOURS)) throw new ValidationError(`Temporary access lasts from 1 hour to ${MAX_ACCESS_HOURS / 24} days.`);
    const target = (await userOf(ctx, input.target, { create: true }))!;
    requireEnvAdminFlag(target, input.level);
    const at = now();
    const expiresAt = input.durationHours ? new Date(at.getTime() + input.durationHours * HOUR_MS) : null;
    await prisma.$transaction(async (tx) => {
      await writeGrant(tx, { environmentId: environment.id, userId: target.id, level: input.level, expiresAt, grantedById: ctx.actor.userId, at });
      await audit.record({ actor: ctx.actor, source: ctx.source, action: "access_granted", outcome: "succeeded", environmentId: environment.id, at, details: { ...details, expiresAt: expiresAt?.toISOString() ?? null } }, tx);
      await notifications.notify(
        {
          userId: target.id,
          kind: "access_granted",
          link: { environment: environment.name },
          payload: { text: `${nameOf(ctx.actor)} gave you ${input.level} access to ${environment.name} ${until(expiresAt)}.`, facts: { Environment: environment.name, Level: input.level } },
        },
        tx,
      );
    });
    accessChanged(target.id);
    return { environment: environment.name, level: input.level, expiresAt, target: { slackUserId: target.slackUserId, name: nameOf(target) } };
  }

  /** Ends someone's access to the environment now. */
  async function revoke(ctx: RequestContext, input: { target: UserRef; environment: string }) {
    const environment = await environmentNamed(input.environment);
    const details = { target: input.target.slackUserId };
    await authorizeOrAuditDenial(audit, ctx, "access_grant", { action: "access_revoked", environmentId: environment.id, details }, undefined, scopeOf(environment));
    const target = await userOf(ctx, input.target, { create: false });
    const at = now();
    const revoked = target
      ? await prisma.$transaction(async (tx) => {
          const held = await tx.environmentAccess.findUnique({ where: { environmentId_userId: { environmentId: environment.id, userId: target.id } } });
          const { count } = await tx.environmentAccess.updateMany({ where: { environmentId: environment.id, userId: target.id, status: "active" }, data: { status: "revoked", revokedAt: at } });
          if (count === 0 || !held) return null;
          await audit.record({ actor: ctx.actor, source: ctx.source, action: "access_revoked", outcome: "succeeded", environmentId: environment.id, at, details: { ...details, level: held.level } }, tx);
          await notifications.notify(
            { userId: target.id, kind: "access_revoked", link: { environment: environment.name }, payload: { text: `${nameOf(ctx.actor)} revoked your ${held.level} access to ${environment.name}.`, facts: { Environment: environment.name } } },
            tx,
          );
          return held.level;
        })
      : null;
    if (!revoked || !target) throw new NotFoundError(`${input.target.displayName ?? input.target.slackUserId} has no access to ${environment.name}.`);
    accessChanged(target.id);
    return { environment: environment.name, level: revoked, target: { slackUserId: target.slackUserId, name: nameOf(target) } };
  }

  /** Who has what in the environment, and the pending requests: for those who may grant there. */
  async function listAccess(ctx: RequestContext, environmentName: string): Promise<AccessListing> {
    const environment = await environmentNamed(environmentName);
    await authorizeOrAuditDenial(audit, ctx, "access_grant", { action: "view", environmentId: environment.id, details: { surface: "access", environment: environment.name } }, undefined, scopeOf(environment));
    const at = now();
    const person = { select: { slackUserId: true, displayName: true, envAdmin: true } };
    const [grants, pending] = await Promise.all([
      prisma.environmentAccess.findMany({
        where: { environmentId: environment.id, status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
        include: { user: person, grantedBy: person },
        orderBy: [{ grantedAt: "asc" }, { id: "asc" }],
      }),
      prisma.accessRequest.findMany({ where: { environmentId: environment.id, status: "pending", OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] }, include: { requester: person }, orderBy: { id: "asc" } }),
    ]);
    return {
      environment: environment.name,
      // Admins first (an enum sorts differently on each database, so by rank here).
      grants: [...grants].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level]).map((row) => ({
        slackUserId: row.user.slackUserId,
        name: nameOf(row.user),
        level: row.level,
        effectiveLevel: row.level === "admin" && !row.user.envAdmin ? "user" : row.level,
        expiresAt: row.expiresAt,
        grantedBy: row.grantedBy ? nameOf(row.grantedBy) : null,
        grantedAt: row.grantedAt,
      })),
      pending: pending.map((row) => ({
        id: row.id,
        slackUserId: row.requester.slackUserId,
        name: nameOf(row.requester),
        level: row.requestedLevel,
        durationHours: row.durationHours,
        reason: row.reason,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
      })),
    };
  }

  /** Sets or clears the env_admin flag (global admins): only flagged users may be made environment admins. */
  async function setEnvAdmin(ctx: RequestContext, targetRef: UserRef, on: boolean) {
    const details = { target: targetRef.slackUserId, to: on };
    await authorizeOrAuditDenial(audit, ctx, "env_admin_promote", { action: "env_admin_changed", details }, undefined, PLATFORM);
    const target = (await userOf(ctx, targetRef, { create: true }))!;
    await prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: target.id }, data: { envAdmin: on } });
      await audit.record({ actor: ctx.actor, source: ctx.source, action: "env_admin_changed", outcome: "succeeded", details: { ...details, from: target.envAdmin } }, tx);
    });
    accessChanged(target.id);
    return { target: { slackUserId: target.slackUserId, name: nameOf(target) }, previous: target.envAdmin, envAdmin: on };
  }

  /** "Request an extension" on the expiry warning: a new request for the same level and the same length of time. */
  async function requestExtension(ctx: RequestContext, accessId: number) {
    const held = await prisma.environmentAccess.findUnique({ where: { id: accessId }, include: { environment: { select: { name: true } } } });
    if (!held || held.userId !== ctx.actor.userId || held.status !== "active") throw new NotFoundError("That access is not yours, or it has already ended: ask again with `/vm env request`.");
    if (!held.expiresAt) throw new ValidationError(`Your access to ${held.environment.name} does not expire.`);
    const hours = Math.round((held.expiresAt.getTime() - held.grantedAt.getTime()) / HOUR_MS);
    return requestAccess(ctx, {
      environment: held.environment.name,
      level: held.level,
      durationHours: Math.min(MAX_ACCESS_HOURS, Math.max(1, hours)),
      justification: `Extension of my ${held.level} access, which ends ${held.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    });
  }

  // ---- Scheduled work (one replica runs each tick through the job runner) ----

  /** Pending requests past their expiry: expired, the requester told, the approvers' DMs redrawn. */
  async function expireRequests(): Promise<number> {
    const at = now();
    const due = await prisma.accessRequest.findMany({
      where: { status: "pending", expiresAt: { lte: at } },
      include: { environment: { select: { name: true } }, requester: { select: { slackUserId: true } } },
      orderBy: { id: "asc" },
      take: JOB_BATCH,
    });
    let expired = 0;
    for (const request of due) {
      const done = await prisma.$transaction(async (tx) => {
        const { count } = await tx.accessRequest.updateMany({ where: { id: request.id, status: "pending" }, data: { status: "expired", decidedAt: at } });
        if (count === 0) return false; // decided meanwhile
        await audit.record(
          { actor: null, source: "schedule", action: "access_request_expired", outcome: "succeeded", environmentId: request.environmentId, at, details: { requestId: request.id, requester: request.requester.slackUserId, level: request.requestedLevel } },
          tx,
        );
        await notifications.notify(
          {
            userId: request.requesterId,
            kind: "access_denied",
            link: { environment: request.environment.name, requestId: request.id },
            payload: { text: `Your request for ${request.requestedLevel} access to ${request.environment.name} expired after ${settings.requestTtlDays} days without a decision. Ask again with /vm env request if you still need it.` },
          },
          tx,
        );
        return true;
      });
      if (!done) continue;
      expired++;
      await notifications.resolve(approverDedupeKey(request.id), resolutionOf({ status: "expired", deciderName: null, decidedAt: at }));
    }
    return expired;
  }

  /** Temporary grants past their end: expired (audited), the holder told. */
  async function expireAccess(): Promise<number> {
    const at = now();
    const due = await prisma.environmentAccess.findMany({
      where: { status: "active", expiresAt: { lte: at } },
      include: { environment: { select: { name: true } }, user: { select: { slackUserId: true } } },
      orderBy: { id: "asc" },
      take: JOB_BATCH,
    });
    let expired = 0;
    for (const grant of due) {
      const done = await prisma.$transaction(async (tx) => {
        // Conditional on the same end: an extension approved meanwhile moved it, and wins.
        const { count } = await tx.environmentAccess.updateMany({ where: { id: grant.id, status: "active", expiresAt: grant.expiresAt }, data: { status: "expired" } });
        if (count === 0) return false;
        await audit.record(
          { actor: null, source: "schedule", action: "access_expired", outcome: "succeeded", environmentId: grant.environmentId, at, details: { target: grant.user.slackUserId, level: grant.level, expiresAt: grant.expiresAt?.toISOString() } },
          tx,
        );
        await notifications.notify(
          {
            userId: grant.userId,
            kind: "access_revoked",
            link: { environment: grant.environment.name },
            payload: { text: `Your temporary ${grant.level} access to ${grant.environment.name} has ended. Ask again with /vm env request if you still need it.` },
          },
          tx,
        );
        return true;
      });
      if (!done) continue;
      expired++;
      accessChanged(grant.userId);
    }
    return expired;
  }

  /**
   * Holders of temporary access ending within warnBeforeHours: one DM each per grant (a conditional update of
   * warnedAt), with a button that files an extension request. Grants shorter than the warning window are not
   * warned: the grant's own notification said when it ends.
   */
  async function warnExpiringAccess(): Promise<number> {
    const at = now();
    const windowMs = settings.warnBeforeHours * HOUR_MS;
    const due = await prisma.environmentAccess.findMany({
      where: { status: "active", warnedAt: null, expiresAt: { gt: at, lte: new Date(at.getTime() + windowMs) } },
      include: { environment: { select: { name: true } } },
      orderBy: { id: "asc" },
      take: JOB_BATCH,
    });
    let warned = 0;
    for (const grant of due) {
      const expiresAt = grant.expiresAt!;
      if (expiresAt.getTime() - grant.grantedAt.getTime() <= windowMs) continue;
      const done = await prisma.$transaction(async (tx) => {
        const { count } = await tx.environmentAccess.updateMany({ where: { id: grant.id, status: "active", warnedAt: null, expiresAt }, data: { warnedAt: at } });
        if (count === 0) return false;
        const hoursLeft = Math.max(1, Math.round((expiresAt.getTime() - at.getTime()) / HOUR_MS));
        await notifications.notify(
          {
            userId: grant.userId,
            kind: "access_expiring",
            dedupeKey: `access_expiring:${grant.id}:${expiresAt.getTime()}`,
            link: { environment: grant.environment.name },
            payload: {
              text: `Your ${grant.level} access to ${grant.environment.name} ends in about ${hoursLeft} hour${hoursLeft === 1 ? "" : "s"} (${until(expiresAt).slice(6)}).`,
              facts: { Environment: grant.environment.name, Level: grant.level },
              actions: [{ verb: "access_extend", value: String(grant.id) }],
            },
          },
          tx,
        );
        return true;
      });
      if (done) warned++;
    }
    return warned;
  }

  return {
    requestAccess,
    pendingRequestForDecision,
    decide,
    grant,
    revoke,
    listAccess,
    setEnvAdmin,
    requestExtension,
    expireRequests,
    expireAccess,
    warnExpiringAccess,
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
