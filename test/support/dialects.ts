import { describe } from "vitest";
import type { Dialect } from "../../src/db/database.js";
import { availableDialects } from "./databases.js";

/** describe() once per available database dialect, for suites that build their own database. */
export function describeEachDialect(name: string, body: (dialect: Dialect) => void): void {
  for (const dialect of availableDialects()) describe(`${name} [${dialect}]`, () => body(dialect));
}
