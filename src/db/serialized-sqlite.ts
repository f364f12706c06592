// better-sqlite3 gives a process one connection. Prisma serializes transactions (and runs each write as
// one), but a read outside a transaction runs on that connection while another flow's transaction is open
// and sees its uncommitted rows, which a rollback then takes back. This wrapper makes every statement
// outside a transaction wait for the open transaction to end, so each transaction is alone on the
// connection, isolated as it would be on a server database.
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import { keepPreparedStatements } from "./sqlite-statement-cache.js";

type AdapterFactory = PrismaBetterSQLite3;
type Adapter = Awaited<ReturnType<AdapterFactory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** First come, first served; `acquire` resolves with the function that lets the next one in. */
class ConnectionTurn {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => done);
    return previous.then(() => release);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

export function serializedSqlite(factory: AdapterFactory): AdapterFactory {
  return new Proxy(factory, {
    get(target, property, receiver) {
      if (property !== "connect") return Reflect.get(target, property, receiver);
      return async () => {
        const adapter = await target.connect();
        // The adapter's connection (a public field of Prisma's adapter class).
        keepPreparedStatements((adapter as unknown as { client: BetterSqlite3.Database }).client);
        return serializeAdapter(adapter);
      };
    },
  });
}

function serializeAdapter(adapter: Adapter): Adapter {
  const turn = new ConnectionTurn();
  return new Proxy(adapter, {
    get(target, property, receiver) {
      switch (property) {
        case "queryRaw":
        case "executeRaw":
        case "executeScript":
          return (...args: unknown[]) => turn.run(() => (target[property] as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        case "startTransaction":
          return async (...args: Parameters<Adapter["startTransaction"]>) => {
            const release = await turn.acquire();
            try {
              return endsTurn(await target.startTransaction(...args), release);
            } catch (error) {
              release();
              throw error;
            }
          };
        default:
          return Reflect.get(target, property, receiver);
      }
    },
  });
}

/** The transaction's commit or rollback lets the next statement onto the connection. */
function endsTurn(transaction: Transaction, release: () => void): Transaction {
  return new Proxy(transaction, {
    get(target, property, receiver) {
      if (property !== "commit" && property !== "rollback") return Reflect.get(target, property, receiver);
      return async () => {
        try {
          await target[property]();
        } finally {
          release();
        }
      };
    },
  });
}
