// Which errors mean "the database is not reachable right now": the driver adapter's errors during a
// PostgreSQL restart (as seen in test/slack/reliability/postgres-restart.e2e.test.ts), refused
// connections, Prisma's connection codes; not a constraint violation or a bug.
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../src/db/database-errors.js";

const adapterError = (code: string, message: string) =>
  Object.assign(new Error(message), { name: "DriverAdapterError", cause: { originalCode: code, kind: "postgres", code, message } });

describe("isDatabaseUnavailable", () => {
  it("recognizes a server restarting, a refused connection and Prisma's connection errors", () => {
    expect(isDatabaseUnavailable(adapterError("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(isDatabaseUnavailable(adapterError("57P03", "the database system is starting up"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("x", { cause: new Error("Connection terminated unexpectedly") }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("Can't reach database server"), { code: "P1001" }))).toBe(true);
  });

  it("does not take other failures for an outage", () => {
    expect(isDatabaseUnavailable(adapterError("23505", "duplicate key value violates unique constraint"))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
