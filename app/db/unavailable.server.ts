import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pg from "pg";
import { serviceUnavailable } from "~/utils/unavailable.server";

// Postgres error classes meaning "the server is not there for us" rather than "the query
// is wrong": connection exceptions (08), shutdown (57P01-57P03), too many connections.
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300)$/;
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND"]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) ||
    UNAVAILABLE_MESSAGES.test(error.message)
  );
}

/** What a page answers while Postgres cannot be reached: 503, try again shortly. */
export function databaseUnavailableResponse(): Response {
  return serviceUnavailable("The database is not answering right now. Please try again in a minute.");
}

/**
 * A pg pool for the app's own requests: when Postgres cannot be reached, queries throw a
 * 503 Response instead of an Error. Remix answers a thrown Response with its status and
 * the error page, where an Error would become an anonymous 500.
 */
export function answering503WhenUnavailable(pool: pg.Pool, onUnavailable: (error: Error) => void): PostgresPool {
  const translate = (error: unknown): never => {
    if (!isDatabaseUnavailable(error)) throw error;
    onUnavailable(error as Error);
    throw databaseUnavailableResponse();
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect().catch(translate);
      // query(sql, parameters) returns a promise; query(cursor), used for streaming, the cursor.
      const query = (...args: unknown[]) => {
        const result = (client.query as (...a: unknown[]) => unknown)(...args);
        return result instanceof Promise ? result.catch(translate) : result;
      };
      return { query: query as PostgresPoolClient["query"], release: (destroy?: boolean) => client.release(destroy) };
    },
    end: () => pool.end(),
  };
}
