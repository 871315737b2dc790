/**
 * The storage interface every module uses. SQL is written once, in the dialect both engines
 * accept (`?` placeholders, `ON CONFLICT`, `RETURNING`, times as epoch milliseconds, JSON as text).
 * SQLite is the default; PostgreSQL serves several instances.
 */
export type Param = string | number | null;

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  /** True for the `tx` a transaction hands its work. */
  readonly inTransaction?: boolean;
  /**
   * Marks of once-only work this process has seen set in this database (see `once`): a mark never
   * goes away, so it need not be asked for again. Kept with the connection it describes.
   */
  readonly knownMarks?: Set<string>;
  all<T>(sql: string, params?: Param[]): Promise<T[]>;
  get<T>(sql: string, params?: Param[]): Promise<T | undefined>;
  /** Runs a statement; `changes` is the number of rows it touched. */
  run(sql: string, params?: Param[]): Promise<{ changes: number }>;
  /**
   * Runs `fn` in one transaction. Everything `fn` does through the `tx` it receives commits or
   * rolls back together. `fn` must not wait on the network: a transaction holds the database.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
