// Notifications: written in the same transaction as the change they report (an outbox), then delivered by DM
// through a sender the Slack layer provides. Delivery claims each row with a lease (one conditional update), so
// replicas never send the same notification at the same time; a failed DM is retried with backoff until it is
// delivered or gives up. Every notification stays listed for its reader (App Home, `/vm notifications`)
// whatever happened to the DM.
import type { RequestContext } from "../actor.js";
import type { AuditService } from "../audit-service.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { Db, PrismaClient } from "../prisma-types.js";
import { NOTIFICATION_KINDS, NOTIFICATION_KIND_NAMES, type NotificationKind, type NotificationLink, type NotificationPayload, type Severity } from "./notification-kinds.js";

export interface NotifyInput {
  userId: number;
  kind: NotificationKind;
  payload: NotificationPayload;
  link?: NotificationLink;
  severity?: Severity;
  /** The same key twice makes one notification (e.g. one per drift episode of one VM). */
  dedupeKey?: string;
}

export interface NotificationView {
  id: number;
  kind: NotificationKind;
  severity: Severity;
  payload: NotificationPayload;
  link: NotificationLink;
  createdAt: Date;
  readAt: Date | null;
  delivered: boolean;
}

/** A notification on its way to a DM, with its reader. */
export interface Deliverable extends NotificationView {
  slackUserId: string;
}

/** How the notification reaches its reader: the Slack layer's DM (conversations.open + chat.postMessage / chat.update). */
export interface NotificationSender {
  send(notification: Deliverable): Promise<{ channel: string; ts: string }>;
  update(where: { channel: string; ts: string }, notification: Deliverable): Promise<void>;
}

/** A sender's failure that says when to try again (Slack's Retry-After). */
export interface RetryAfter {
  retryAfterSeconds?: number;
}

export interface NotificationSettings {
  /** How long one delivery attempt holds its claim before another replica may retry it. */
  leaseMs: number;
  /** Attempts before a notification is marked failed (it stays listed in App Home). */
  maxAttempts: number;
  /** Backoff after the first failure; doubles per attempt up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

const DEFAULTS: NotificationSettings = { leaseMs: 60_000, maxAttempts: 8, backoffMs: 30_000, maxBackoffMs: 60 * 60_000 };
const DELIVERY_BATCH = 50;
const KICK_DELAYS_MS = [20, 1000];

export function createNotificationService(deps: { prisma: PrismaClient; audit: AuditService; ownerId: string; now?: () => Date; settings?: Partial<NotificationSettings> }) {
  const { prisma, audit, ownerId } = deps;
  const now = deps.now ?? (() => new Date());
  const settings = { ...DEFAULTS, ...deps.settings };
  let sender: NotificationSender | undefined;
  const kicks = new Map<number, ReturnType<typeof setTimeout>>();
  let delivering: Promise<number> | undefined;

  /**
   * Records notifications, inside the caller's transaction when given (so they exist exactly when the change
   * does). Delivery starts right after; a row the caller has not committed yet is picked up by the retry job.
   */
  async function notify(inputs: NotifyInput | NotifyInput[], db: Db = prisma): Promise<void> {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    for (const input of list) {
      const data = {
        userId: input.userId,
        kind: input.kind,
        severity: input.severity ?? NOTIFICATION_KINDS[input.kind].severity,
        payload: input.payload as object,
        link: (input.link ?? {}) as object,
        ...(input.dedupeKey ? { dedupeKey: input.dedupeKey } : {}),
      };
      if (input.dedupeKey) await db.notification.upsert({ where: { dedupeKey: input.dedupeKey }, update: {}, create: data });
      else await db.notification.create({ data });
    }
    if (list.length) deliverSoon();
  }

  /** Starts delivering (the Slack layer calls this once it can send DMs). */
  function startDelivery(to: NotificationSender): void {
    sender = to;
    deliverSoon();
  }

  function stopDelivery(): Promise<unknown> {
    sender = undefined;
    for (const timer of kicks.values()) clearTimeout(timer);
    kicks.clear();
    return delivering ?? Promise.resolve();
  }

  function deliverSoon(): void {
    if (!sender) return;
    // A short delay lets the caller's transaction commit first; a second look a little later catches a slower
    // commit (the deliver-notifications job catches anything else).
    for (const delayMs of KICK_DELAYS_MS) {
      if (kicks.has(delayMs)) continue;
      const timer = setTimeout(() => {
        kicks.delete(delayMs);
        void deliverDue().catch(() => undefined);
      }, delayMs);
      timer.unref?.();
      kicks.set(delayMs, timer);
    }
  }

  /** Delivers what is due (new, or a retry whose backoff passed); one run at a time per process. Returns how many were sent. */
  function deliverDue(): Promise<number> {
    if (!sender) return Promise.resolve(0);
    if (delivering) return delivering.catch(() => 0).then(() => deliverDue());
    const run = deliverBatch(sender).finally(() => {
      if (delivering === run) delivering = undefined;
    });
    delivering = run;
    return run;
  }

  async function deliverBatch(to: NotificationSender): Promise<number> {
    const at = now();
    const due = await prisma.notification.findMany({
      where: { status: "pending", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: at } }], AND: [{ OR: [{ deliveryLeaseUntil: null }, { deliveryLeaseUntil: { lt: at } }] }] },
      orderBy: { id: "asc" },
      take: DELIVERY_BATCH,
      include: { user: { select: { slackUserId: true, active: true, notificationPrefs: true } } },
    });
    let sent = 0;
    for (const row of due) {
      const claimedAt = now();
      const attempts = row.attempts + 1;
      // The row exactly as read (same attempt count), still due and unleased: a replica that attempted it
      // meanwhile (and failed, so it waits for its backoff again) makes this claim miss.
      const claimed = await prisma.notification.updateMany({
        where: {
          id: row.id,
          status: "pending",
          attempts: row.attempts,
          AND: [{ OR: [{ deliveryLeaseUntil: null }, { deliveryLeaseUntil: { lt: claimedAt } }] }, { OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: claimedAt } }] }],
        },
        data: { deliveryOwner: ownerId, deliveryLeaseUntil: new Date(claimedAt.getTime() + settings.leaseMs), attempts },
      });
      if (claimed.count === 0) continue; // another replica has it
      // This attempt's own fence: a replica that took the row over after our lease ran out owns its outcome.
      const mine = { id: row.id, deliveryOwner: ownerId, attempts };
      const wantsDm = row.user.active && (row.user.notificationPrefs.find((pref) => pref.kind === row.kind)?.dm ?? true);
      if (!wantsDm) {
        await prisma.notification.updateMany({ where: mine, data: { status: "sent", sentAt: now(), error: row.user.active ? "DM turned off by the reader" : "reader deactivated", deliveryLeaseUntil: null } });
        continue;
      }
      try {
        const posted = await to.send({ ...toView(row), slackUserId: row.user.slackUserId });
        await prisma.notification.updateMany({ where: mine, data: { status: "sent", sentAt: now(), dmChannel: posted.channel, dmTs: posted.ts, error: null, deliveryLeaseUntil: null } });
        sent++;
      } catch (error) {
        const retryAfterMs = ((error as RetryAfter).retryAfterSeconds ?? 0) * 1000;
        const backoff = Math.max(retryAfterMs, Math.min(settings.maxBackoffMs, settings.backoffMs * 2 ** (attempts - 1)));
        const failed = attempts >= settings.maxAttempts;
        await prisma.notification.updateMany({
          where: mine,
          data: { status: failed ? "failed" : "pending", error: String((error as Error).message ?? error).slice(0, 500), nextAttemptAt: new Date(now().getTime() + backoff), deliveryLeaseUntil: null },
        });
      }
    }
    return sent;
  }

  /**
   * Redraws notifications already delivered about one matter (e.g. every approver's DM for a request once
   * someone decided): stores the new payload and updates each DM in place.
   */
  async function resolve(dedupeKeyPrefix: string, resolution: string): Promise<number> {
    const rows = await prisma.notification.findMany({ where: { dedupeKey: { startsWith: dedupeKeyPrefix } }, include: { user: { select: { slackUserId: true } } } });
    let updated = 0;
    for (const row of rows) {
      const payload = { ...(row.payload as unknown as NotificationPayload), resolution, actions: [] };
      await prisma.notification.update({ where: { id: row.id }, data: { payload: payload as object, readAt: row.readAt ?? now() } });
      if (sender && row.dmChannel && row.dmTs) {
        try {
          await sender.update({ channel: row.dmChannel, ts: row.dmTs }, { ...toView({ ...row, payload: payload as never }), slackUserId: row.user.slackUserId });
          updated++;
        } catch {
          // The stored payload is right; a DM that cannot be redrawn still shows its resolution on the next click.
        }
      }
    }
    return updated;
  }

  /** The reader's notifications, newest first (not dismissed); `unread` keeps only unread ones. */
  async function list(ctx: RequestContext, options: { unread?: boolean; limit?: number } = {}): Promise<{ items: NotificationView[]; unread: number }> {
    const where = { userId: ctx.actor.userId, dismissedAt: null };
    const [rows, unread] = await Promise.all([
      prisma.notification.findMany({ where: { ...where, ...(options.unread ? { readAt: null } : {}) }, orderBy: { id: "desc" }, take: options.limit ?? 20 }),
      prisma.notification.count({ where: { ...where, readAt: null } }),
    ]);
    return { items: rows.map(toView), unread };
  }

  /** Marks one (or every) notification of the reader read; only the reader's own. */
  async function markRead(ctx: RequestContext, id: number | "all"): Promise<void> {
    const { count } = await prisma.notification.updateMany({ where: { userId: ctx.actor.userId, readAt: null, ...(id === "all" ? {} : { id }) }, data: { readAt: now() } });
    if (id !== "all" && count === 0) await ownOrNotFound(ctx, id);
  }

  async function dismiss(ctx: RequestContext, id: number): Promise<void> {
    const { count } = await prisma.notification.updateMany({ where: { id, userId: ctx.actor.userId }, data: { dismissedAt: now(), readAt: now() } });
    if (count === 0) throw new NotFoundError("That notification is not yours or no longer exists.");
  }

  async function ownOrNotFound(ctx: RequestContext, id: number): Promise<void> {
    const row = await prisma.notification.findFirst({ where: { id, userId: ctx.actor.userId }, select: { id: true } });
    if (!row) throw new NotFoundError("That notification is not yours or no longer exists.");
  }

  /** Per kind: whether it comes by DM (default on). */
  async function preferences(ctx: RequestContext): Promise<{ kind: NotificationKind; label: string; dm: boolean }[]> {
    const rows = await prisma.notificationPreference.findMany({ where: { userId: ctx.actor.userId } });
    return NOTIFICATION_KIND_NAMES.map((kind) => ({ kind, label: NOTIFICATION_KINDS[kind].label, dm: rows.find((row) => row.kind === kind)?.dm ?? true }));
  }

  async function setPreference(ctx: RequestContext, kind: string, dm: boolean): Promise<void> {
    if (!(kind in NOTIFICATION_KINDS)) throw new ValidationError(`No notification kind "${kind}". Known: ${NOTIFICATION_KIND_NAMES.join(", ")}.`);
    await prisma.$transaction(async (tx) => {
      await tx.notificationPreference.upsert({ where: { userId_kind: { userId: ctx.actor.userId, kind } }, update: { dm }, create: { userId: ctx.actor.userId, kind, dm } });
      await audit.record({ actor: ctx.actor, source: ctx.source, action: "notification_preference_changed", outcome: "succeeded", details: { kind, dm } }, tx);
    });
  }

  return { notify, startDelivery, stopDelivery, deliverDue, resolve, list, markRead, dismiss, preferences, setPreference };
}

function toView(row: { id: number; kind: string; severity: string; payload: unknown; link: unknown; createdAt: Date; readAt: Date | null; status: string; dmTs?: string | null }): NotificationView {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    severity: row.severity as Severity,
    payload: row.payload as NotificationPayload,
    link: (row.link ?? {}) as NotificationLink,
    createdAt: row.createdAt,
    readAt: row.readAt,
    // "sent" also closes a notification whose reader turned its DM off: only a DM timestamp means it was sent.
    delivered: row.status === "sent" && Boolean(row.dmTs),
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
