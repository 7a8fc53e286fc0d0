import type { Driver, QueryResult } from "neo4j-driver";
import { GraphloadError } from "../errors.js";
import { errorInfo } from "./error-info.js";
import { failureKind } from "./failure-kind.js";
import type { ServerCounters } from "./server-counters.js";
import { MARKER_CYPHER, type BatchMarker } from "./checkpoint-store.js";

const CONSTRAINT_VIOLATION = "Neo.ClientError.Schema.ConstraintValidationFailed";
const ALREADY_COMMITTED = "GL_ALREADY_COMMITTED";

export interface BatchWrite {
  readonly cypher: string;
  readonly rows: readonly unknown[];
  /** Bookmarks the session starts from: everything the previous stage committed. */
  readonly bookmarks: readonly string[];
  /** Written in the same transaction; when it exists already, the batch committed before. */
  readonly marker?: BatchMarker;
  /** Called each time the driver runs the transaction again after a transient failure. */
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

export interface BatchResult {
  readonly counters: Partial<ServerCounters>;
  readonly bookmarks: string[];
  /** Values of the statement's `unmatched` column: batch indexes of rows that wrote nothing. */
  readonly unmatched: number[];
  /** The batch's marker was there already: an earlier attempt committed, whose outcome was lost. */
  readonly alreadyCommitted?: boolean;
}

/**
 * Writes one batch in its own session through a managed write transaction; the driver
 * retries transient failures within its `maxTransactionRetryTime`. Batching, concurrency
 * and bookmarks between stages are the engine's business, not the sink's.
 */
export class Neo4jSink {
  private readonly driver: Driver;
  private readonly database: string | undefined;

  constructor(driver: Driver, database?: string) {
    this.driver = driver;
    this.database = database;
  }

  async write(batch: BatchWrite): Promise<BatchResult> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: "WRITE", bookmarks: [...batch.bookmarks] });
    let attempt = 0;
    let lastError: unknown;
    try {
      const result = await session.executeWrite(async (tx) => {
        if (attempt > 0) batch.onRetry?.(attempt, lastError);
        attempt++;
        if (batch.marker) {
          try {
            await tx.run(MARKER_CYPHER, { ...batch.marker });
          } catch (error) {
            if (errorInfo(error).code === CONSTRAINT_VIOLATION) throw new GraphloadError(ALREADY_COMMITTED, "the batch committed before");
            throw error;
          }
        }
        try {
          return await tx.run(batch.cypher, { rows: batch.rows });
        } catch (error) {
          lastError = error;
          // The driver would retry a memory error as it is; the batch has to be split instead.
          if (failureKind(error) === "split") throw new GraphloadError(errorInfo(error).code, errorInfo(error).message, {}, { cause: error });
          throw error;
        }
      });
      return { counters: result.summary.counters.updates(), bookmarks: session.lastBookmarks(), unmatched: unmatchedOf(result) };
    } catch (error) {
      if (error instanceof GraphloadError && error.code === ALREADY_COMMITTED) {
        return { counters: {}, bookmarks: session.lastBookmarks(), unmatched: [], alreadyCommitted: true };
      }
      throw error;
    } finally {
      await session.close();
    }
  }

  /** Runs one statement in an auto-commit transaction, so `CALL … IN TRANSACTIONS` works too. */
  async runStatement(cypher: string, bookmarks: readonly string[]): Promise<BatchResult> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: "WRITE", bookmarks: [...bookmarks] });
    try {
      const result = await session.run(cypher);
      return { counters: result.summary.counters.updates(), bookmarks: session.lastBookmarks(), unmatched: [] };
    } finally {
      await session.close();
    }
  }
}

function unmatchedOf(result: QueryResult): number[] {
  if (!result.records.length || !result.records[0].has("unmatched")) return [];
  return result.records.map((record) => Number(record.get("unmatched")));
}
