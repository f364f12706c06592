// Environment locks in Block Kit (pure: data in, blocks out): the refusal with its Queue / Break buttons, the
// list of active locks, the outcome messages, the break-lock modal and the App Home section.
import type { Button, KnownBlock, ModalView } from "@slack/types";
import { z } from "zod";
import { ValidationError } from "../../services/errors.js";
import type { LockView, MyLocks } from "../../services/locks/lock-model.js";
import { MIN_BREAK_REASON } from "../../services/locks/lock-service.js";
import { ACTION, INPUT, VIEW } from "../ids.js";
import { LIMITS, escapeMrkdwn, packLines, slackDate, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

const name = (environment: string) => `*${escapeMrkdwn(truncate(environment, 100))}*`;

/** "*demo* is locked by <@U1> since 10:02 (release testing), until 12:02". */
export function describeLockForSlack(lock: LockView): string {
  const why = lock.reason ? ` (${escapeMrkdwn(truncate(lock.reason, 300))})` : "";
  const until = lock.expiresAt ? `, until ${slackDate(lock.expiresAt)}` : ", with no end time";
  return `${name(lock.environment)} is locked by <@${lock.holder.slackUserId}> since ${slackDate(lock.acquiredAt)}${why}${until}`;
}

function button(actionId: string, text: string, value: string, style?: "primary" | "danger"): Button {
  return { type: "button", action_id: actionId, text: { type: "plain_text", text }, value: truncate(value, LIMITS.buttonValue), ...(style ? { style } : {}) };
}

/** The answer to a lock that is taken: who holds it, and what the reader can do (queue; break, for its admins). */
export function renderLockRefusal(input: { environment: string; text: string; mayBreak: boolean }): SlackMessage {
  const buttons = [button(ACTION.lockQueue, "Notify me / queue", input.environment, "primary"), ...(input.mayBreak ? [button(ACTION.lockOpenBreak, "Break lock", input.environment, "danger")] : [])];
  return {
    text: truncate(`:lock: ${input.text}`, LIMITS.messageText),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: truncate(`:lock: ${input.text}`, LIMITS.sectionText) } },
      { type: "actions", block_id: "lock_refusal", elements: buttons },
    ],
  };
}

export function renderLockTaken(lock: LockView): SlackMessage {
  const until = lock.expiresAt ? ` until ${slackDate(lock.expiresAt)}` : "";
  const why = lock.reason ? `: ${escapeMrkdwn(truncate(lock.reason, 300))}` : "";
  const text = `:lock: <@${lock.holder.slackUserId}> locked ${name(lock.environment)}${until}${why}. Until it is released only they and the environment's admins may change its VMs.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: truncate(text, LIMITS.sectionText) } }] };
}

export function renderLockReleased(environment: string, slackUserId: string): SlackMessage {
  const text = `:unlock: <@${slackUserId}> unlocked ${name(environment)}.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

export function renderLockBroken(lock: LockView, breaker: string, reason: string): SlackMessage {
  const text = `:hammer: <@${breaker}> broke <@${lock.holder.slackUserId}>'s lock on ${name(lock.environment)}: ${escapeMrkdwn(truncate(reason, 300))}`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: truncate(text, LIMITS.sectionText) } }] };
}

/** `/vm env locks`: every lock in force the reader may see. */
export function renderLockList(locks: readonly LockView[]): SlackMessage {
  if (!locks.length) return { text: "No environment is locked.", blocks: [{ type: "section", text: { type: "mrkdwn", text: ":unlock: No environment is locked." } }] };
  const lines = locks.map((lock) => `:lock: ${describeLockForSlack(lock)}`);
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: "Locked environments" } }];
  for (const text of packLines(lines).slice(0, LIMITS.blocksPerMessage - 2)) blocks.push({ type: "section", text: { type: "mrkdwn", text } });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: "`/vm env lock <env> --queue` to wait for one · `/vm env unlock <env>` to release yours" }] });
  return { text: `${locks.length} locked environment(s)`, blocks };
}

const breakOriginSchema = z.object({ environment: z.string().min(1).max(100), channel: z.string().max(40).optional() });
export type BreakOrigin = z.infer<typeof breakOriginSchema>;

export function decodeBreakOrigin(metadata: string | undefined): BreakOrigin {
  try {
    return breakOriginSchema.parse(JSON.parse(metadata ?? ""));
  } catch {
    throw new ValidationError("That form is out of date; open it again.");
  }
}

/** The reason as typed; the service checks the same rule, this puts the error on the field. */
export const breakReasonField = z.string().trim().min(MIN_BREAK_REASON, `Say why in at least ${MIN_BREAK_REASON} characters: the holder reads it.`).max(300, "Use at most 300 characters.");

export function renderBreakLockModal(origin: BreakOrigin, lockText?: string): ModalView {
  return {
    type: "modal",
    callback_id: VIEW.lockBreak,
    private_metadata: JSON.stringify(breakOriginSchema.parse(origin)),
    title: { type: "plain_text", text: "Break lock" },
    submit: { type: "plain_text", text: "Break it" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: truncate(lockText ?? `Break the lock on ${name(origin.environment)}.`, LIMITS.sectionText) } },
      {
        type: "input",
        block_id: INPUT.lockBreakReason.block,
        label: { type: "plain_text", text: "Why? The holder gets this by DM." },
        element: { type: "plain_text_input", action_id: INPUT.lockBreakReason.action, multiline: true, min_length: MIN_BREAK_REASON, max_length: 300, placeholder: { type: "plain_text", text: "incident 42: we need the environment now" } },
      },
    ],
  };
}

/** App Home: the user's locks and queue places; nothing when they have neither. At most `limit` lines. */
export function renderHomeLocks(locks: MyLocks, limit: number): KnownBlock[] {
  const held = locks.held.map((lock) => {
    const until = lock.expiresAt ? ` until ${slackDate(lock.expiresAt)}` : "";
    const why = lock.reason ? ` · ${escapeMrkdwn(truncate(lock.reason, 200))}` : "";
    return `:lock: ${name(lock.environment)} held by you since ${slackDate(lock.acquiredAt)}${until}${why}`;
  });
  const queued = locks.queued.map((entry) =>
    entry.offeredUntil
      ? `:bell: ${name(entry.environment)} is yours to take until ${slackDate(entry.offeredUntil)}: \`/vm env lock ${escapeMrkdwn(entry.environment)}\``
      : `:hourglass_flowing_sand: ${name(entry.environment)}: #${entry.position} in the queue`,
  );
  const lines = [...held, ...queued];
  if (!lines.length) return [];
  const shown = lines.slice(0, limit);
  const more = lines.length > shown.length ? [`…and ${lines.length - shown.length} more: \`/vm env locks\``] : [];
  return [
    { type: "header", text: { type: "plain_text", text: "Your locks" } },
    ...packLines([...shown, ...more]).map((text): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } })),
  ];
}
