/**
 * The server's database: one interface over two drivers that run the same SQL.
 *
 *   PostgreSQL + PostGIS through node-postgres (`pg`), for a real deployment (`--database-url`);
 *   PGlite (PostgreSQL compiled to WebAssembly, in this process) with its PostGIS extension,
 *   the default: no database to install (`--data-dir`).
 *
 * Every statement is parameterised ($1, $2, ...): no value is ever spliced into SQL text.
 * A lost connection (the server restarted, the network dropped) surfaces as
 * DatabaseUnavailable, which the HTTP layer answers with 503 and Retry-After.
 */
import { mkdirSync } from "node:fs";

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly kind: "pglite" | "postgresql";
  /** Run `work` in one transaction (BEGIN ... COMMIT; ROLLBACK when it throws). */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The database cannot be reached right now; the request may be retried. */
export class DatabaseUnavailable extends Error {
  constructor(cause: unknown) {
    super(`database unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "DatabaseUnavailable";
  }
}

/** SQLSTATE classes and socket errors that mean "the connection is gone", not "bad query". */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string") {
    if (/^(08|57P0[123]|53300)/.test(code)) return true;
    if (
      ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH"].includes(
        code,
      )
    ) {
      return true;
    }
  }
  const message = (error as Error)?.message ?? "";
  // "timeout exceeded when trying to connect": every pooled connection busy for
  // connectionTimeoutMillis (overload); also answered 503, so clients back off and retry.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)/i.test(
    message,
  );
}

function wrap(error: unknown): unknown {
  return isConnectionError(error) ? new DatabaseUnavailable(error) : error;
}

// ---------------------------------------------------------------------------------------
// PostgreSQL

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const { default: pg } = await import("pg");
  // int8 (seq, lengths) as JS numbers: change numbers stay far below 2^53.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 15_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits 'error'; without a listener Node would exit.
  pool.on("error", () => undefined);
  const database: Database = {
    kind: "postgresql",
    async query(sql, params = []) {
      try {
        return (await pool.query(sql, params)).rows;
      } catch (error) {
        throw wrap(error);
      }
    },
    async transaction(work) {
      let client: import("pg").PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw wrap(error);
      }
      let broken = false;
      const tx: Queryable = {
        async query(sql, params = []) {
          try {
            return (await client.query(sql, params)).rows;
          } catch (error) {
            if (isConnectionError(error)) broken = true;
            throw wrap(error);
          }
        },
      };
      try {
        await tx.query("BEGIN");
        const result = await work(tx);
        await tx.query("COMMIT");
        return result;
      } catch (error) {
        if (!broken) await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        // A broken connection is not given back to the pool.
        client.release(broken ? true : undefined);
      }
    },
    close: () => pool.end(),
  };
  return database;
}

// ---------------------------------------------------------------------------------------
// PGlite

export async function openPglite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const { PGlite, types } = await import("@electric-sql/pglite");
  const { postgis } = await import("@electric-sql/pglite-postgis");
  const db = await PGlite.create({
    dataDir,
    extensions: { postgis },
    parsers: { [types.INT8]: (value: string) => Number(value) },
  });
  return {
    kind: "pglite",
    async query(sql, params = []) {
      return (await db.query(sql, params)).rows as never[];
    },
    // PGlite is one connection: its transaction() holds it exclusively, so transactions
    // of concurrent requests run one after the other.
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: async (sql, params = []) => (await tx.query(sql, params)).rows as never[],
        }),
      ),
    close: () => db.close(),
  };
}
