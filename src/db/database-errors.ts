// Whether an error means the database cannot be reached right now (restarting, failed over, network
// gone), as opposed to a bug or a refused statement: the user is told to try again in a moment.

// PostgreSQL: admin shutdown, crash shutdown, starting up, cannot connect now, connection failures.
const UNAVAILABLE_CODES = new Set(["57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08004", "08006", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "P1001", "P1002", "P1017", "P2024"]);
const UNAVAILABLE_MESSAGES = /Connection terminated|terminating connection|the database system is (starting up|shutting down)|Can't reach database server|connect ECONNREFUSED/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === "object" && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    const { code, originalCode, message } = current as { code?: unknown; originalCode?: unknown; message?: unknown };
    if (UNAVAILABLE_CODES.has(String(code)) || UNAVAILABLE_CODES.has(String(originalCode))) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
  }
  return false;
}
