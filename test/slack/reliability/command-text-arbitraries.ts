// What a user might type after `/vm`, as fast-check arbitraries: tokens of the filter grammar (keys,
// plausible and implausible values, mentions, spans, quotes, unicode, very long words) and anything at all.
import fc from "fast-check";

const filterKeys = fc.constantFrom("status:", "STATUS:", "provider:", "tag:", "env:", "environment:", "name~", "name:", "user:", "action:", "vm:", "since:", "outcome:", "bogus:", ":", "");
const plausibleValues = fc.constantFrom(
  "running", "Stopped", "running,stopped", ",", "aws", "simulator", "gcp,azure", "mars",
  "team=backend", "a=b=c", "=b", "a=", "=", "24h", "30m", "7d", "0h", "-1h", "99999999999999d", "2026-11-01", "2026-13-45", "yesterday",
  "vm_start", "vm_start,vm_stop", "denied", "succeeded", "initiated",
  "<@U0VIEWER01>", "<@U0ADMIN001|ada lovelace>", "<@>", "<@U123", "@alice", "U0ADMIN001", "<!channel>",
  "web-01", "db", '"web 01"', "'quoted'", "`code`", "*bold*", "ünïcödé", "日本語", "🙂", "\u200b", "\u0000",
);
const arbitraryWord = fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 });
const veryLongWord = fc.integer({ min: 1_000, max: 20_000 }).map((length) => "x".repeat(length));
const token = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(filterKeys, fc.oneof(plausibleValues, arbitraryWord)).map(([key, value]) => key + value) },
  { weight: 2, arbitrary: plausibleValues },
  { weight: 2, arbitrary: arbitraryWord },
  { weight: 1, arbitrary: veryLongWord },
);
export const separator = fc.constantFrom(" ", "  ", "\t", "\n", "\u00a0", "\u3000");
const grammarAware = fc.array(fc.tuple(token, separator), { maxLength: 8 }).map((parts) => parts.map(([word, space]) => word + space).join(""));
/** What a user might type: the grammar most of the time, anything at all the rest. */
export const typed = fc.oneof({ weight: 3, arbitrary: grammarAware }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) });

