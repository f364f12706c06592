// A PostgreSQL server of the test's own (initdb into a temporary directory, a free port), for tests
// that stop or restart the server: the machine's shared server serves every other test and stays up.
// Unavailable (no binaries) is a skip, except under CI=true where it is a failure.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./bot-harness.js";

/** The directory holding initdb and pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
export function postgresBinaries(): string | undefined {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, "pg_ctl")) ? process.env.PG_BIN : undefined;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((version) => existsSync(join(root, version, "bin", "pg_ctl"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

/** Whether the private server can be run here; under CI=true its absence throws instead. */
export function privatePostgresAvailable(): boolean {
  const available = postgresBinaries() !== undefined;
  if (!available && process.env.CI === "true") throw new Error("PostgreSQL binaries (initdb, pg_ctl) not found; under CI=true that is a failure, not a skip. Set PG_BIN.");
  if (!available) console.warn("\n[tests] PostgreSQL binaries not found (set PG_BIN): SKIPPING the PostgreSQL restart test.\n");
  return available;
}

export interface PrivatePostgres {
  url: string;
  /** pg_ctl restart -m fast, without blocking this process (the bot in it keeps serving meanwhile). */
  restart(): Promise<void>;
  stop(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinaries()!;
  const dir = mkdtempSync(join(tmpdir(), "vmbot-pg-"));
  const data = join(dir, "data");
  // PostgreSQL refuses to run as root: then as the postgres user, who must own the directory.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) =>
    execFileSync(asRoot ? "runuser" : join(bin, tool), asRoot ? ["-u", "postgres", "--", join(bin, tool), ...args] : args, { stdio: "pipe", timeout: 60_000 });
  const port = await freePort();
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const ctlArgs = (action: string, extra: string[] = []) => ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", ...extra, action];
  const ctl = (action: string, extra: string[] = []) => run("pg_ctl", ctlArgs(action, extra));
  ctl("start");
  const pgCtl = join(bin, "pg_ctl");
  const restartArgs = ctlArgs("restart", ["-m", "fast"]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    restart: async () => {
      await promisify(execFile)(asRoot ? "runuser" : pgCtl, asRoot ? ["-u", "postgres", "--", pgCtl, ...restartArgs] : restartArgs, { timeout: 60_000 });
    },
    stop() {
      try {
        ctl("stop", ["-m", "immediate"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
