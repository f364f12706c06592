// Deep redaction for log lines. pino's `redact` paths reach a fixed depth, but an HTTP client error
// carries its secrets anywhere: err.config.headers.Authorization, err.request._header (the raw request
// text), err.response.request.headers, a cause's cause. Every object logged is walked (bounded and
// cycle-safe): values under a secret-looking key are replaced, and token-shaped text is scrubbed from
// every string.

export const REDACTED = "[redacted]";

/** Key names (compared lower-case, without separators) whose values are never logged. */
const SECRET_KEY = /(token|secret|password|passwd|authorization|cookie|apikey|credential|privatekey|signature|databaseurl|connectionstring|sessionid)/;

const STRING_SCRUBBERS: [RegExp, string][] = [
  // Raw HTTP header lines, as in a Node ClientRequest's `_header`.
  [/^((?:proxy-)?authorization|(?:set-)?cookie|x-api-key|x-slack-signature|x-amz-security-token)[ \t]*:.*$/gim, `$1: ${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // Slack tokens: bot, user, app-level, refresh, config.
  [/\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]+/g, REDACTED],
  // user:password@ in URLs (DATABASE_URL and friends).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)[^\s@/]+@/gi, "$1***@"],
  // key=value / "key": "value" pairs in text (query strings, config dumps, SDK messages).
  [/\b((?:aws_?)?(?:secret_?access_?key|access_?token|refresh_?token|client_?secret|signing_?secret|password|passwd|api_?key|token)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, `$1${REDACTED}`],
];

const MAX_DEPTH = 8;
const MAX_NODES = 2000;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ""));
}

export function scrubString(text: string): string {
  let result = text;
  for (const [pattern, replacement] of STRING_SCRUBBERS) result = result.replace(pattern, replacement);
  return result;
}

/**
 * A copy of `value` safe to log. Errors become plain objects (type, message, stack, own fields and
 * cause), as pino's error serializer would make them.
 */
export function redactDeep(value: unknown): unknown {
  const state = { nodes: 0, seen: new WeakSet<object>() };
  return walk(value, 0, state);
}

function walk(value: unknown, depth: number, state: { nodes: number; seen: WeakSet<object> }): unknown {
  if (typeof value === "string") return scrubString(value);
  if (value === null || typeof value !== "object") return value;
  if (state.seen.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH || ++state.nodes > MAX_NODES) return "[truncated]";
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  state.seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, state));
    const source = value instanceof Error ? errorFields(value) : entriesOf(value);
    const copy: Record<string, unknown> = {};
    for (const [key, field] of source) copy[key] = isSecretKey(key) && field !== undefined && field !== null && field !== "" ? REDACTED : walk(field, depth + 1, state);
    return copy;
  } finally {
    state.seen.delete(value); // the same object twice side by side is not a cycle
  }
}

function entriesOf(value: object): [string, unknown][] {
  // Maps (e.g. a fetch Headers-like store) are logged as their entries.
  if (value instanceof Map) return [...value.entries()].map(([key, field]) => [String(key), field]);
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(value)) {
    try {
      entries.push([key, (value as Record<string, unknown>)[key]]);
    } catch {
      entries.push([key, "[unreadable]"]); // a throwing getter
    }
  }
  return entries;
}

function errorFields(error: Error): [string, unknown][] {
  const fields: [string, unknown][] = [
    ["type", error.constructor?.name ?? error.name],
    ["message", error.message],
    ["stack", error.stack],
  ];
  for (const entry of entriesOf(error)) if (!["type", "message", "stack"].includes(entry[0])) fields.push(entry);
  if (error.cause !== undefined && !fields.some(([key]) => key === "cause")) fields.push(["cause", error.cause]);
  return fields;
}
