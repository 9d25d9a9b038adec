import BetterSqlite3 from 'better-sqlite3';
import type { Database, SqlValue } from './database';

/**
 * The shared query text uses PostgreSQL's `$1, $2, …`; better-sqlite3 binds those as named
 * parameters `@p1, @p2, …` (which, like PostgreSQL's, may be used more than once).
 */
function toSqlite(sql: string, params: readonly SqlValue[]): [string, Record<string, SqlValue>] {
  const named: Record<string, SqlValue> = {};
  params.forEach((value, index) => {
    named[`p${index + 1}`] = value;
  });
  return [sql.replace(/\$(\d+)/g, '@p$1'), named];
}

/** The embedded default: one SQLite file, opened in WAL mode with foreign keys enforced. */
export class SqliteDatabase implements Database {
  readonly engine = 'sqlite' as const;
  private readonly db: BetterSqlite3.Database;

  constructor(file: string) {
    this.db = new BetterSqlite3(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
  }

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const [text, named] = toSqlite(sql, params);
    return this.db.prepare(text).all(named) as Row[];
  }

  async first<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    const [text, named] = toSqlite(sql, params);
    return this.db.prepare(text).get(named) as Row | undefined;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const [text, named] = toSqlite(sql, params);
    return this.db.prepare(text).run(named).changes;
  }

  async transaction<T>(work: (tx: Database) => Promise<T>): Promise<T> {
    // better-sqlite3 is synchronous, so no other request's queries can interleave with ours as
    // long as `work` awaits only this database (see the interface's contract).
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work(this);
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
