// The PostgreSQL pool under Prisma's adapter, made to send fewer and cheaper messages:
// - Prepared statements. The adapter sends every statement unnamed, so the server parsed each again,
//   though Prisma sends the same few SQL texts over and over. Connections name each text they are given
//   (from its hash), so a connection parses it once and afterwards only binds and executes it, as Prisma's
//   own engine used to. Planning is unchanged: connections ask for custom plans (planned with each
//   execution's values), so a skewed table (the audit log) never gets a generic plan.
// - Pipelining. A statement outside a transaction goes to one of a few shared connections in pg's pipeline
//   mode, sent without waiting for the answers before it: one server process serves a burst of them
//   instead of a process woken per statement (on loopback, waking it was a quarter of the bot's CPU). Each
//   statement has its own Sync, so one failing fails alone. A statement goes to the connection with the
//   fewest waiting, so one slow query holds up little. Transactions still take a pooled connection of
//   their own.
// Both are off with `pgbouncer=true` in DATABASE_URL, as with Prisma's engine: PgBouncer in transaction mode
// hands each statement to any server connection, where a prepared name is unknown.
import { createHash } from "node:crypto";
import pg from "pg";

/** Texts named per process; any further text is sent unnamed (each costs the server a little memory). */
const MAX_NAMED_TEXTS = 2000;
/** Shared pipelined connections for statements outside transactions. */
const LANES = 2;

const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known || names.size >= MAX_NAMED_TEXTS) return known;
  const name = `prisma_${createHash("sha1").update(text).digest("base64url")}`;
  names.set(text, name);
  return name;
}

interface StatementConfig {
  text: string;
  values?: unknown[];
  name?: string;
}

/** A statement given as a query config with its values (Prisma's); strings, callbacks and Query objects are not. */
function isStatement(config: unknown, rest: unknown[]): config is StatementConfig {
  return (
    !!config &&
    typeof config === "object" &&
    typeof (config as StatementConfig).text === "string" &&
    typeof (config as { submit?: unknown }).submit !== "function" &&
    rest.every((arg) => typeof arg !== "function")
  );
}

/** A pg client that names the statements given as a query config. */
class NamingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [config, ...rest] = args;
    if (isStatement(config, rest) && !config.name) {
      const name = nameOf(config.text);
      if (name) args[0] = { ...config, name };
    }
    return (super.query as (...all: unknown[]) => never)(...args);
  }
}

interface Lane {
  client: Promise<pg.Client>;
  waiting: number;
}

class PipeliningPool extends pg.Pool {
  private readonly lanes: (Lane | undefined)[] = new Array(LANES).fill(undefined);

  constructor(private readonly laneConfig: pg.ClientConfig, poolConfig: pg.PoolConfig) {
    super(poolConfig);
  }

  override query(...args: unknown[]): never {
    const [config, ...rest] = args;
    if (!isStatement(config, rest)) return (super.query as (...all: unknown[]) => never)(...args);
    const lane = this.leastBusyLane();
    lane.waiting++;
    const result = lane.client.then((client) => client.query(config));
    const done = () => lane.waiting--;
    result.then(done, done);
    return result as never;
  }

  override async end(): Promise<void> {
    const lanes = [...this.lanes];
    this.lanes.fill(undefined);
    await Promise.all(lanes.map((lane) => lane?.client.then((client) => client.end(), () => undefined)));
    await super.end();
  }

  /** An idle lane, else a new one while there is room, else the one with the fewest statements waiting. */
  private leastBusyLane(): Lane {
    let best: Lane | undefined;
    let room = -1;
    for (let index = 0; index < LANES; index++) {
      const lane = this.lanes[index];
      if (!lane) room = room < 0 ? index : room;
      else if (!best || lane.waiting < best.waiting) best = lane;
    }
    if (best && (best.waiting === 0 || room < 0)) return best;
    return this.open(room);
  }

  /** A new connection in lane `index`; it leaves the lane when it fails or ends, and the next statement opens another. */
  private open(index: number): Lane {
    const client = new NamingClient({ ...this.laneConfig, pipeline: true } as pg.ClientConfig);
    const lane: Lane = { client: client.connect().then(() => client), waiting: 0 };
    const leave = () => {
      if (this.lanes[index] === lane) this.lanes[index] = undefined;
    };
    client.on("error", leave); // its waiting statements fail with the error; the lane reopens on next use
    client.on("end", leave);
    lane.client.catch(leave);
    this.lanes[index] = lane;
    return lane;
  }
}

/** The pool for Prisma's adapter (see above), or a plain one when the URL says `pgbouncer=true`. */
export function statementPool(url: string, max: number): pg.Pool {
  const parsed = new URL(url);
  const viaPgBouncer = parsed.searchParams.get("pgbouncer") === "true";
  parsed.searchParams.delete("pgbouncer");
  if (viaPgBouncer) return new pg.Pool({ connectionString: parsed.toString(), max });
  // Server options given in the URL (`?options=-c search_path=...`) are kept, with ours after them.
  const options = [parsed.searchParams.get("options"), "-c plan_cache_mode=force_custom_plan"].filter(Boolean).join(" ");
  parsed.searchParams.delete("options");
  const connection = { connectionString: parsed.toString(), options };
  return new PipeliningPool(connection, { ...connection, max, Client: NamingClient });
}
