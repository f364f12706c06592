// The `npm run seed` script end to end, on a SQLite file.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, inject, it } from "vitest";

const run = promisify(execFile);
const url = `file:${join(inject("testWorkDir"), `seed-cli-${process.pid}.db`)}`;

async function seed(...args: string[]) {
  return run(process.execPath, ["--import", "tsx", "src/cli/seed.ts", ...args], {
    env: { ...process.env, DATABASE_URL: url },
  }).catch((error: { code: number; stdout: string; stderr: string }) => error);
}

it("migrates, seeds, then reports nothing to do; --reset and the legacy flags work", { timeout: 60_000 }, async () => {
  expect((await seed()).stdout).toMatch(/Added 4 users, 3 environments, .*30 vms/);
  expect((await seed("--yes-to-all")).stdout).toContain("Demo data is already present; nothing changed.");
  expect((await seed("--seed-database", "--reset")).stdout).toMatch(/Wiped all application tables\. Added 4 users/);
  const wrong = await seed("--bogus");
  expect(wrong).toMatchObject({ code: 2 });
  expect((wrong as { stderr: string }).stderr).toContain("Unknown option(s): --bogus");
});
