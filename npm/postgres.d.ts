// The PostgreSQL dedup store for node-postgres (re-exported by index.d.ts). No dependency on @types/pg:
// the pool is typed by what the store uses, and the client type is inferred from it (with
// @types/pg installed, a pg.Pool gives the handler's `tx` the type pg.PoolClient).
import type { TransactionalStore } from './index.js';

/** What the store needs of a pooled client (node-postgres's PoolClient has it). */
export interface PostgresClientLike {
  query(text: string, values?: any[]): Promise<{ rows: any[]; rowCount: number | null }>;
  release(destroy?: boolean | Error): void;
}

/** What the store needs of a pool: `connect()` resolving to a client (a `pg.Pool`). */
export interface PostgresPoolLike {
  connect(): Promise<PostgresClientLike>;
}

/**
 * The client type a pool hands out: `pg.PoolClient` for a `pg.Pool` (read from its callback
 * overload of `connect`, as TypeScript infers from an overloaded method's last signature),
 * else what `connect()` resolves to.
 */
export type PostgresClientOf<P> = P extends { connect(callback: (err: any, client: infer C, done: any) => void): void }
  ? unknown extends C ? (P extends { connect(): Promise<infer D> } ? D : never) : NonNullable<C>
  : P extends { connect(): Promise<infer D> } ? D : never;

export interface PostgresStoreOptions {
  /**
   * The table (default `payhook_dedup`): a lower-case identifier, optionally `schema.table`;
   * anything else is `argument_invalid`.
   */
  table?: string;
  /**
   * Create the table (and its index) on first use, if it does not exist (default `true`),
   * under an advisory lock so that processes starting together do not race. `false` when a
   * migration tool creates it (the SQL is in the README).
   */
  createTable?: boolean;
}

/**
 * A transactional dedup store on PostgreSQL: `handle()` runs the handler in a transaction on
 * one pooled client, passed as `tx`, that also records the event's key, and commits both or
 * neither. Concurrent copies of an event: one runs, the others get 409 at once (a
 * non-blocking advisory lock per key). Expiry by the database's clock; at most 100 expired
 * keys deleted per call.
 */
export interface PostgresStore<C> extends TransactionalStore<C> {
  readonly kind: 'postgres';
  /** The table it uses. */
  readonly table: string;
}

/**
 * A PostgreSQL dedup store on a node-postgres pool.
 * @throws {PayhookError} `argument_invalid` for a pool without `connect`, an unknown or
 *   unreadable option, or a table name that is not a plain identifier
 */
export declare function postgresStore<P extends PostgresPoolLike>(pool: P, options?: PostgresStoreOptions): PostgresStore<PostgresClientOf<P>>;
