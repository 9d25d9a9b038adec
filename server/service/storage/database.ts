/** A value that can be bound to a SQL parameter in both SQLite and PostgreSQL. */
export type SqlValue = string | number | null;

/**
 * The storage seam: queries are written once, with `$1, $2, …` placeholders and SQL that both
 * SQLite and PostgreSQL accept, and run against whichever engine the service was started with.
 */
export interface Database {
  /** Runs a query and returns its rows. */
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a query and returns its first row, if any. */
  first<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  /** Runs a statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs `work` inside one transaction: all of its statements land, or none do. Only database
   * calls belong inside; nothing that waits on the network or on git.
   */
  transaction<T>(work: (tx: Database) => Promise<T>): Promise<T>;
  /** Which engine this is, for the few places (health, migrations) that report it. */
  readonly engine: 'sqlite' | 'postgres';
  close(): Promise<void>;
}
