import type { BookmarkManager, Driver, QueryResult, Transaction } from "neo4j-driver";
import { errorInfo, GraphloadError } from "../errors.js";
import type { BatchResult, BatchSink, BatchWrite } from "./batch-sink.js";
import type { BatchMarker } from "./checkpoint-store.js";
import { LEASED_MARKER_CYPHER, MARKER_CYPHER, MARKER_OUTCOME_CYPHER, RECORDED_OUTCOME_CYPHER } from "./neo4j-checkpoint-store.js";
import { CONSTRAINT_VIOLATION } from "./neo4j-codes.js";
import type { ServerCounters } from "./server-counters.js";

/**
 * Writes one batch in its own session, in one explicit transaction: a single attempt.
 * Retrying, splitting, batching, concurrency and bookmarks between stages are the engine's
 * business (batch-writer.ts), not the sink's; a managed transaction would nest the driver's
 * own retry loop, with its own delays, inside the engine's.
 */
export class Neo4jSink implements BatchSink {
  private readonly driver: Driver;
  private readonly database: string | undefined;

  constructor(driver: Driver, database?: string) {
    this.driver = driver;
    this.database = database;
  }

  async write(batch: BatchWrite): Promise<BatchResult> {
    const written = await this.writeOnce(batch);
    if (written) return written;
    // Only a marker's constraint says that the batch committed before, so there is one.
    return { ...(await this.recordedOutcome(batch.marker as BatchMarker, batch.bookmarks)), alreadyCommitted: true };
  }

  /** The batch's outcome, or undefined when its marker shows that an earlier attempt committed it. */
  private async writeOnce(batch: BatchWrite): Promise<BatchResult | undefined> {
    const session = this.session(batch.bookmarks);
    const tx = session.beginTransaction();
    try {
      if (batch.marker) {
        try {
          const { lease } = batch.marker;
          const marked = await run(tx, lease === undefined ? MARKER_CYPHER : LEASED_MARKER_CYPHER, { ...batch.marker });
          if (lease !== undefined && marked.records.length === 0) throw leaseLost(batch.marker.run);
        } catch (error) {
          if (errorInfo(error).code === CONSTRAINT_VIOLATION) return undefined;
          throw error;
        }
      }
      const result = await run(tx, batch.cypher, batch.parameters);
      const outcome = { counters: result.summary.counters.updates(), unmatched: unmatchedOf(result) };
      if (batch.marker) {
        await run(tx, MARKER_OUTCOME_CYPHER, { id: batch.marker.id, unmatched: outcome.unmatched, counters: JSON.stringify(nonZero(outcome.counters)) });
      }
      await tx.commit();
      return outcome;
    } finally {
      // A failed transaction is rolled back by closing its session; nothing else to undo.
      await session.close();
    }
  }

  /** What the attempt that committed the batch reported, as its marker keeps it. */
  private async recordedOutcome(marker: BatchMarker, bookmarks: BookmarkManager): Promise<BatchResult> {
    const session = this.session(bookmarks);
    try {
      const [record] = (await session.run(RECORDED_OUTCOME_CYPHER, { id: marker.id })).records;
      const unmatched = (record?.get("unmatched") as unknown[] | null) ?? [];
      const counters = record?.get("counters") as string | null | undefined;
      return { counters: counters ? (JSON.parse(counters) as Partial<ServerCounters>) : {}, unmatched: unmatched.map(Number) };
    } finally {
      await session.close();
    }
  }

  /** Runs one statement in an auto-commit transaction, so `CALL … IN TRANSACTIONS` works too. */
  async runStatement(cypher: string, bookmarks: BookmarkManager): Promise<BatchResult> {
    const session = this.session(bookmarks);
    try {
      const result = await session.run(cypher);
      return { counters: result.summary.counters.updates(), unmatched: [] };
    } finally {
      await session.close();
    }
  }

  private session(bookmarks: BookmarkManager) {
    return this.driver.session({ database: this.database, defaultAccessMode: "WRITE", bookmarkManager: bookmarks });
  }
}

/**
 * `tx.run` without the stack trace the driver formats for every result it creates, to show
 * where a failing statement was run: graphload reports a failure by its code and message,
 * and the formatting cost mix and batch, at three statements for each of its 873 batches,
 * about 3 % of its CPU (bench/RESULTS.md). The result is created before `tx.run` returns,
 * so the limit is back before any other code runs.
 */
function run(tx: Transaction, cypher: string, parameters: Readonly<Record<string, unknown>>) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return tx.run(cypher, parameters);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function leaseLost(pipeline: string): GraphloadError {
  return new GraphloadError("GL_LEASE_LOST", `another run took over the lease on pipeline "${pipeline}": this run's batch was not written`);
}

function unmatchedOf(result: QueryResult): number[] {
  if (!result.records.length || !result.records[0].has("unmatched")) return [];
  return result.records.map((record) => Number(record.get("unmatched")));
}

function nonZero(counters: Partial<ServerCounters>): Partial<ServerCounters> {
  return Object.fromEntries(Object.entries(counters).filter(([, value]) => value !== 0));
}
