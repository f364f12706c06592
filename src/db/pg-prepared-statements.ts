// Prisma's PostgreSQL adapter sends every statement unnamed, so the server parses each one again,
// though Prisma sends the same few SQL texts over and over. The pool's connections name each text they
// are given (a name derived from the text), so a connection parses it once and afterwards only binds
// and executes it, as Prisma's own engine used to. Planning is unchanged: each connection asks for
// custom plans (planned with each execution's values), so a skewed table (the audit log) never gets a
// generic plan. Turned off by `pgbouncer=true` in DATABASE_URL, as with Prisma's engine: PgBouncer in
// transaction mode hands each statement to any server connection, where the name is unknown.
import { createHash } from "node:crypto";
import pg from "pg";

/** Texts named per process; any further text is sent unnamed (each costs the server a little memory). */
const MAX_NAMED_TEXTS = 2000;

const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known || names.size >= MAX_NAMED_TEXTS) return known;
  const name = `prisma_${createHash("sha1").update(text).digest("base64url")}`;
  names.set(text, name);
  return name;
}

type QueryConfig = { text?: unknown; name?: unknown };

/** A pg client that names the statements given as a query config (Prisma's); plain strings pass as they are. */
class NamingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [config] = args;
    if (config && typeof config === "object" && typeof (config as QueryConfig).text === "string" && !(config as QueryConfig).name) {
      const name = nameOf((config as { text: string }).text);
      if (name) args[0] = { ...config, name };
    }
    return (super.query as (...all: unknown[]) => never)(...args);
  }
}

/** The pool for Prisma's adapter: connections that prepare each text once, unless the URL says `pgbouncer=true`. */
export function preparingPool(url: string, max: number): pg.Pool {
  const parsed = new URL(url);
  const viaPgBouncer = parsed.searchParams.get("pgbouncer") === "true";
  parsed.searchParams.delete("pgbouncer");
  if (viaPgBouncer) return new pg.Pool({ connectionString: parsed.toString(), max });
  // Server options given in the URL (`?options=-c search_path=...`) are kept, with ours after them.
  const options = [parsed.searchParams.get("options"), "-c plan_cache_mode=force_custom_plan"].filter(Boolean).join(" ");
  parsed.searchParams.delete("options");
  return new pg.Pool({ connectionString: parsed.toString(), max, Client: NamingClient, options });
}
