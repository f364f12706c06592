// Prisma's SQLite adapter prepares every statement anew (`db.prepare(sql).bind(args)`), and preparing is
// a good part of a query's cost on SQLite. Prisma sends the same few SQL texts over and over, so the
// connection keeps its prepared statements by text (least recently used go first) and binds each call's
// arguments when it runs. better-sqlite3 re-prepares a kept statement by itself if the schema changes.
import type Database from "better-sqlite3";

const MAX_STATEMENTS = 500;

type Statement = Database.Statement<unknown[]>;

/** What the adapter does with a prepared statement: bind once, then run it or read its rows. */
class StatementCall {
  constructor(
    private readonly statement: Statement,
    private readonly args: unknown[] = [],
  ) {}

  get reader(): boolean {
    return this.statement.reader;
  }

  bind(args: unknown[]): StatementCall {
    return new StatementCall(this.statement, args);
  }

  columns(): Database.ColumnDefinition[] {
    return this.statement.columns();
  }

  raw(): { all(): unknown[] } {
    return { all: () => this.statement.raw(true).all(...this.args) };
  }

  run(): Database.RunResult {
    return this.statement.run(...this.args);
  }
}

/** Makes `connection.prepare` return kept statements; the adapter's calls on them work as before. */
export function keepPreparedStatements(connection: Database.Database): void {
  const prepare = connection.prepare.bind(connection) as (sql: string) => Statement;
  const kept = new Map<string, Statement>();
  (connection as unknown as { prepare(sql: string): StatementCall }).prepare = (sql: string) => {
    let statement = kept.get(sql);
    if (statement) {
      kept.delete(sql);
    } else {
      statement = prepare(sql);
      if (kept.size >= MAX_STATEMENTS) kept.delete(kept.keys().next().value!);
    }
    kept.set(sql, statement);
    return new StatementCall(statement);
  };
}
