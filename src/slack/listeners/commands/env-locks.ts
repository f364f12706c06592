// `/vm env lock <env> [for 2h] [reason] [--queue]`, `/vm env unlock <env>`, `/vm env break <env> <reason>`,
// `/vm env unqueue <env>`, `/vm env locks`. The env command hands these verbs here. Taking, releasing and
// breaking a lock are told in the channel; a refusal answers the caller alone, with Queue (and, for the
// environment's admins, Break) buttons.
import { EnvironmentLockedError, LockOfferedError } from "../../../services/locks/lock-model.js";
import { can } from "../../../services/policy.js";
import { answerLookup, postOutcome } from "../../messages.js";
import { escapeMrkdwn, slackDate } from "../../views/limits.js";
import { describeLockForSlack, renderLockBroken, renderLockList, renderLockRefusal, renderLockReleased, renderLockTaken } from "../../views/locks.js";
import type { SlackMessage } from "../../views/vm-list.js";
import { UsageError, askerOf, type SubcommandInput } from "./subcommand.js";

export const LOCK_VERBS = new Set(["lock", "unlock", "break", "unqueue", "locks"]);
export const LOCK_USAGE = "lock <env> [for 2h] [reason] [--queue] | unlock <env> | break <env> <reason> | unqueue <env> | locks";
export const LOCK_EXAMPLES = ["/vm env lock demo for 2h release testing", "/vm env lock demo --queue", "/vm env break demo incident 42 needs it now", "/vm env locks"];

const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3600_000, d: 86_400_000 };

/** "2h" -> ms; "90m", "1d". */
export function parseLockDuration(text: string): number | undefined {
  const match = /^(\d{1,5})(m|min|h|d)$/i.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]! : undefined;
}

/** The words after `lock <env>`: an optional `for <duration>`, the reason, and `--queue` anywhere. */
export function parseLockArguments(words: readonly string[]): { queue: boolean; durationMs?: number; reason?: string } {
  const queue = words.some((word) => word.toLowerCase() === "--queue");
  const rest = words.filter((word) => word.toLowerCase() !== "--queue");
  let durationMs: number | undefined;
  if (rest[0]?.toLowerCase() === "for") {
    durationMs = parseLockDuration(rest[1] ?? "");
    if (durationMs === undefined) throw new UsageError("Give the duration as `for 30m`, `for 2h` or `for 1d`.");
    rest.splice(0, 2);
  }
  const reason = rest.join(" ").trim();
  return { queue, ...(durationMs !== undefined ? { durationMs } : {}), ...(reason ? { reason } : {}) };
}

export async function runLockCommand(input: SubcommandInput): Promise<void> {
  const { deps, args, ctx, argv } = input;
  const [typedVerb = "", name, ...words] = argv.map((word) => word.trim());
  const verb = typedVerb.toLowerCase();
  const locks = deps.services.locks;
  const reply = (message: SlackMessage) => answerLookup(args.client, askerOf(args), message);
  const tellChannel = (message: SlackMessage) => postOutcome(args, args.command.channel_id, ctx.actor.slackUserId, message);
  if (verb === "locks") return void (await reply(renderLockList(await locks.listActive(ctx))));
  if (!name) throw new UsageError("Name an environment.");
  if (verb === "unlock") {
    await locks.release(ctx, name);
    return void (await tellChannel(renderLockReleased(name, ctx.actor.slackUserId)));
  }
  if (verb === "unqueue") {
    await locks.unqueue(ctx, name);
    return void (await reply(plain(`You left the queue for *${escapeMrkdwn(name)}*.`)));
  }
  if (verb === "break") {
    const reason = words.join(" ");
    const broken = await locks.breakLock(ctx, name, reason);
    return void (await tellChannel(renderLockBroken(broken, ctx.actor.slackUserId, reason.trim())));
  }
  const { queue, durationMs, reason } = parseLockArguments(words);
  if (queue) return void (await reply(plain(await queueAnswer(input, name, reason))));
  try {
    const lock = await locks.acquire(ctx, name, { durationMs, reason });
    await tellChannel(renderLockTaken(lock));
  } catch (error) {
    if (!(error instanceof EnvironmentLockedError) && !(error instanceof LockOfferedError)) throw error;
    const environment = error instanceof EnvironmentLockedError ? error.lock : undefined;
    const text = environment ? `${describeLockForSlack(environment)}.` : escapeMrkdwn(error.message);
    const mayBreak = !!environment && can(ctx.actor, "lock_break", { environmentId: environment.environmentId });
    await reply(renderLockRefusal({ environment: name, text, mayBreak }));
  }
}

/** Queues the caller and says where they stand (shared by `--queue` and the Queue button). */
export async function queueAnswer(input: Pick<SubcommandInput, "deps" | "ctx">, environment: string, reason?: string): Promise<string> {
  const position = await input.deps.services.locks.queue(input.ctx, environment, reason);
  if (position.offeredUntil) return `:bell: The lock on *${escapeMrkdwn(environment)}* is yours to take until ${slackDate(position.offeredUntil)}: \`/vm env lock ${escapeMrkdwn(environment)}\`.`;
  return `:hourglass_flowing_sand: You are #${position.position} in the queue for *${escapeMrkdwn(environment)}*. I will DM you when the lock is yours to take.`;
}

function plain(text: string): SlackMessage {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}
