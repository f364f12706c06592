// The access verbs of `/vm env`: request, grant, revoke, access. Parsed here, decided by the access service.
//   /vm env request <env> <viewer|user|admin> [for 7d|12h] <justification>
//   /vm env grant @user <env> <viewer|user|admin> [for 7d]
//   /vm env revoke @user <env>
//   /vm env access <env>
import { parseDurationHours, parseLevel, describeDuration } from "../../../services/access/validation.js";
import { answerLookup } from "../../messages.js";
import { mentionedUser } from "../../mentions.js";
import { renderAccessListing } from "../../views/access.js";
import { escapeMrkdwn, slackDate } from "../../views/limits.js";
import { UsageError, askerOf, type SubcommandInput } from "./subcommand.js";

export const ACCESS_VERBS = ["request", "grant", "revoke", "access"] as const;
export type AccessVerb = (typeof ACCESS_VERBS)[number];

export function isAccessVerb(verb: string): verb is AccessVerb {
  return (ACCESS_VERBS as readonly string[]).includes(verb);
}

export const ACCESS_USAGE = "request <env> <viewer|user|admin> [for 7d] <why> | access <env> | grant @user <env> <level> [for 7d] | revoke @user <env>";
export const ACCESS_EXAMPLES = ["/vm env request demo user for 3d demo for ACME on Monday", "/vm env grant @alice demo user for 7d", "/vm env revoke @alice demo", "/vm env access demo"];

/** `[for 7d]` at `words[0]`: the hours and the words after it (null hours: until revoked). */
function optionalDuration(words: string[]): { hours: number | null; rest: string[] } {
  if (words[0]?.toLowerCase() !== "for") return { hours: null, rest: words };
  if (!words[1]) throw new UsageError("Say for how long after `for`, e.g. `for 7d` or `for 12h`.");
  return { hours: parseDurationHours(words[1]), rest: words.slice(2) };
}

export async function runAccessVerb(verb: AccessVerb, { deps, args, ctx, argv }: SubcommandInput): Promise<void> {
  const access = deps.services.access;
  const words = argv.slice(1).map((word) => word.trim()).filter(Boolean);
  const say = (text: string) => args.respond({ response_type: "ephemeral", text });

  if (verb === "request") {
    const [environment, levelWord, ...more] = words;
    if (!environment || !levelWord) throw new UsageError("Name the environment, the level and why.");
    const { hours, rest } = optionalDuration(more);
    if (!rest.length) throw new UsageError("Say why you need the access.");
    const filed = await access.requestAccess(ctx, { environment, level: parseLevel(levelWord), durationHours: hours, justification: rest.join(" ") });
    const who = filed.approvers ? `${filed.approvers} approver${filed.approvers === 1 ? "" : "s"} notified` : "nobody can approve it yet: ask a global admin";
    return void (await say(`:envelope: Requested *${filed.level}* access to *${escapeMrkdwn(filed.environment)}* (${describeDuration(filed.durationHours)}): ${who}. You get the decision by DM; the request lapses ${slackDate(filed.expiresAt)}.`));
  }
  if (verb === "access") {
    const [environment] = words;
    if (!environment) throw new UsageError("Name an environment.");
    return void (await answerLookup(args.client, askerOf(args), renderAccessListing(await access.listAccess(ctx, environment))));
  }
  const target = mentionedUser(words[0]);
  if (!target) throw new UsageError("Mention the user first, e.g. `@alice`.");
  const [, environment, levelWord, ...more] = words;
  if (!environment) throw new UsageError("Name the environment.");
  if (verb === "grant") {
    if (!levelWord) throw new UsageError("Say which level: viewer, user or admin.");
    const { hours, rest } = optionalDuration(more);
    if (rest.length) throw new UsageError(`Unexpected \`${rest.join(" ")}\` after the level.`);
    const granted = await access.grant(ctx, { target, environment, level: parseLevel(levelWord), durationHours: hours });
    const until = granted.expiresAt ? `until ${slackDate(granted.expiresAt)}` : "until revoked";
    return void (await say(`:white_check_mark: <@${granted.target.slackUserId}> has *${granted.level}* access to *${escapeMrkdwn(granted.environment)}* ${until}.`));
  }
  if (levelWord) throw new UsageError("`revoke` takes a user and an environment only.");
  const revoked = await access.revoke(ctx, { target, environment });
  await say(`:white_check_mark: Revoked <@${revoked.target.slackUserId}>'s ${revoked.level} access to *${escapeMrkdwn(revoked.environment)}*.`);
}
