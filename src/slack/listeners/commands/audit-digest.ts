// `/vm audit digest [since:24h] [env:name]`: the audit digest of a period up to now, for the caller only.
import { answerLookup } from "../../messages.js";
import { renderAuditDigest } from "../../views/audit-digest.js";
import { MAX_FILTER_NAME, resolveSince } from "../../views/audit-state.js";
import { UsageError, askerOf, type SubcommandInput } from "./subcommand.js";

export const AUDIT_DIGEST_USAGE = "/vm audit digest [since:24h|7d|2026-11-01] [env:name]";

export function parseDigestQuery(words: string[], now: Date): { since: Date; environment?: string } {
  let since = new Date(now.getTime() - 24 * 3600_000);
  let environment: string | undefined;
  for (const word of words) {
    const [, key = "", value = ""] = /^([a-z]+):(.+)$/i.exec(word) ?? [];
    if (key.toLowerCase() === "since") {
      const resolved = resolveSince(value, now);
      if (!resolved) throw new UsageError(`"${value}" is not a time: use 30m, 24h, 7d or a date like 2026-11-01.`);
      since = resolved;
    } else if (key.toLowerCase() === "env" && value.length <= MAX_FILTER_NAME) {
      environment = value;
    } else {
      throw new UsageError(`I don't know "${word}". Usage: ${AUDIT_DIGEST_USAGE}`);
    }
  }
  return { since, ...(environment ? { environment } : {}) };
}

export async function runAuditDigest({ deps, args, ctx, argv }: SubcommandInput): Promise<void> {
  const request = parseDigestQuery(argv.slice(1), new Date());
  const digest = await deps.services.digests.digestFor(ctx, request);
  await answerLookup(args.client, askerOf(args), renderAuditDigest(digest));
}
