// Counts the SQL statements Prisma sends through a driver adapter (and the transactions it opens), so
// tests and the benchmark can hold each interaction to a number of queries. Counting is two integer
// increments per statement: always on.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

export interface QueryCounts {
  /** Statements sent, inside transactions or not (BEGIN/COMMIT not included). */
  queries: number;
  /** Transactions opened (interactive or batched). */
  transactions: number;
}

export class QueryCounter {
  private counts: QueryCounts = { queries: 0, transactions: 0 };

  /** The counts so far, as a copy: subtract two snapshots for what happened in between. */
  snapshot(): QueryCounts {
    return { ...this.counts };
  }

  /** Wraps an adapter factory so every statement of the adapters it connects is counted here. */
  wrap<Factory extends SqlDriverAdapterFactory>(factory: Factory): Factory {
    return new Proxy(factory, {
      get: (target, property, receiver) => {
        if (property !== "connect") return Reflect.get(target, property, receiver);
        return async () => this.countAdapter(await target.connect());
      },
    });
  }

  private countAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
    return new Proxy(adapter, {
      get: (target, property) => {
        if (property === "queryRaw" || property === "executeRaw") return this.counted(target, property);
        if (property === "startTransaction") {
          return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) => {
            this.counts.transactions++;
            return this.countTransaction(await target.startTransaction(...args));
          };
        }
        return bound(target, property);
      },
    });
  }

  private countTransaction(transaction: Transaction): Transaction {
    return new Proxy(transaction, {
      get: (target, property) => (property === "queryRaw" || property === "executeRaw" ? this.counted(target, property) : bound(target, property)),
    });
  }

  private counted<Target extends SqlDriverAdapter | Transaction>(target: Target, method: "queryRaw" | "executeRaw") {
    const call = target[method] as (...args: unknown[]) => Promise<unknown>;
    return (...args: unknown[]) => {
      this.counts.queries++;
      return call.apply(target, args);
    };
  }
}

/** The target's own member, its methods bound to it (they may use private fields a proxy does not have). */
function bound(target: object, property: string | symbol): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return typeof value === "function" ? value.bind(target) : value;
}
