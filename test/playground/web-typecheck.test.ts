// The page's modules are plain JavaScript with JSDoc types, outside the root tsconfig (no DOM types
// there): this runs their own type check, so `npm test` catches a broken page too.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

it("type-checks src/playground/web against the DOM", async () => {
  const result = await promisify(execFile)(process.execPath, [tsc, "-p", "src/playground/web", "--pretty", "false"]).catch((error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? String(error), code: error.code }));
  expect(result.stdout).toBe("");
}, 60_000);
