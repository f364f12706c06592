// `/vm audit [user:@x] [action:vm_start] [vm:name] [env:name] [since:24h] [outcome:denied]`: answers
// (to the asker alone) with a page of the audit log with paging, export and the filters modal.
import { z } from "zod";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from "../../../services/audit-actions.js";
import { answerLookup } from "../../messages.js";
import { renderAuditMessage } from "../../views/audit.js";
import { MAX_AUDIT_USERS, MAX_FILTER_NAME, SLACK_USER_ID, auditFiltersOf, auditPageOptions, encodeAuditState, withSpan, type AuditState, type AuditViewFilters } from "../../views/audit-state.js";
import { runAuditDigest } from "./audit-digest.js";
import { UsageError, askerOf, type Subcommand } from "./subcommand.js";

const FILTER_KEYS = ["user", "action", "vm", "env", "since", "outcome"] as const;
const FILTER_HELP = "user:@alice action:vm_start vm:web-01 env:prod since:24h outcome:denied";

/** Words, keeping Slack's escaped mentions (`<@U123|alice smith>`) whole. */
function tokensOf(text: string): string[] {
  return text.match(/(?:<[^>]*>|[^\s<])+/g) ?? [];
}

const list = (raw: string[]) => raw.flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean);

// Slack escapes "@alice" as "<@U123|alice>" when the command has escaping on (see manifest.yml).
const mention = z.string().transform((value, ctx) => {
  const id = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value)?.[1] ?? (SLACK_USER_ID.test(value) ? value : undefined);
  if (id) return id;
  ctx.addIssue({ code: "custom", message: `"${value}" is not a person: write user:@name and pick them from Slack's list.` });
  return z.NEVER;
});

const oneOf = <T extends string>(allowed: readonly T[], what: string) =>
  z.string().transform((value, ctx) => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    ctx.addIssue({ code: "custom", message: `Unknown ${what} "${value}". Use one of: ${allowed.join(", ")}.` });
    return z.NEVER;
  });

const name = (what: string) => z.string().min(1, `Give the ${what} a name, e.g. ${what}:web-01.`).max(MAX_FILTER_NAME, `That ${what} name is too long.`);

const querySchema = z.object({
  user: z.array(mention).max(MAX_AUDIT_USERS, `Name at most ${MAX_AUDIT_USERS} people.`),
  action: z.array(oneOf(AUDIT_ACTIONS, "action")),
  outcome: z.array(oneOf(AUDIT_OUTCOMES, "outcome")),
  vm: name("vm").optional(),
  env: name("env").optional(),
  since: z.string().optional(),
});

/** The command's filters: `key:value` words, lists comma-separated or repeated (`action:vm_start,vm_stop`). */
export function parseAuditQuery(text: string, now: Date): AuditViewFilters {
  const raw = { user: [] as string[], action: [] as string[], outcome: [] as string[], vm: undefined as string | undefined, env: undefined as string | undefined, since: undefined as string | undefined };
  for (const token of tokensOf(text)) {
    const [, key = "", value = ""] = /^([a-z]+):(.*)$/i.exec(token) ?? [];
    const filter = FILTER_KEYS.find((candidate) => candidate === key.toLowerCase());
    if (!filter) throw new UsageError(`I don't know the filter "${token}". Filters: ${FILTER_HELP}.`);
    if (filter === "user" || filter === "action" || filter === "outcome") raw[filter].push(...list([filter === "user" ? value : value.toLowerCase()]));
    else raw[filter] = value;
  }
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
  const { user, action, outcome, vm, env, since } = parsed.data;
  const filters = {
    ...(user.length ? { users: [...new Set(user)] } : {}),
    ...(action.length ? { actions: [...new Set(action)] } : {}),
    ...(outcome.length ? { outcomes: [...new Set(outcome)] } : {}),
    ...(vm ? { vm } : {}),
    ...(env ? { env } : {}),
  };
  try {
    return withSpan(filters, since, now);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export const auditCommand: Subcommand = {
  name: "audit",
  usage: "/vm audit [user:@x] [action:vm_start] [vm:name] [env:name] [since:24h|7d|30m|2026-11-01] [outcome:denied]",
  summary: "Who did what, when: your own entries and those of the environments you administer (global admins: all); export as CSV (global admins; environment admins with env:theirs)",
  examples: ["/vm audit", "/vm audit user:@alice since:7d", "/vm audit action:vm_stop,reboot outcome:denied vm:web-01", "/vm audit digest since:7d env:prod"],
  async run(input) {
    if (input.argv[0]?.toLowerCase() === "digest") return runAuditDigest(input);
    const { deps, args, ctx, rest } = input;
    const state: AuditState = { f: parseAuditQuery(rest, new Date()) };
    encodeAuditState(state); // filters too long to carry in the message's buttons are refused up front
    const page = await deps.services.audit.query(ctx, auditFiltersOf(state.f), auditPageOptions(state));
    const message = renderAuditMessage({ state, page, canExport: await deps.services.audit.mayExport(ctx, auditFiltersOf(state.f)) });
    await answerLookup(args.client, askerOf(args), message);
  },
};
