import { Neo4jError } from "neo4j-driver";
import { GraphloadError } from "../../src/errors.js";
import { parameterRows, ROWS } from "../../src/plan/batch-parameters.js";
import type { BatchResult, BatchSink, BatchWrite } from "../../src/run/batch-sink.js";
import type { MemoryCheckpointStore } from "./memory-checkpoint-store.js";

/** What the sink does to one transaction, decided by the test. */
export type Fault =
  /** The server picks the transaction as a deadlock victim: nothing commits. */
  | "deadlock"
  /** The connection drops before the commit: nothing commits. */
  | "lost-connection"
  /** The transaction commits, but the client never hears: the batch will be sent again. */
  | "unknown-outcome"
  /** The server refuses the transaction for these rows' sake (a constraint, a bad value). */
  | { readonly refuseRows: (row: unknown) => boolean }
  /** The transaction needs more memory than the server has. */
  | "too-large"
  /** Every batch of the statement fails (a syntax error). */
  | "fatal";

export interface Transaction {
  readonly cypher: string;
  readonly rows: readonly unknown[];
  readonly marker?: BatchWrite["marker"];
}

const error = (code: string, message = `fake ${code}`): Neo4jError => new Neo4jError(message, code, "", "");

/**
 * A sink that commits to memory: each transaction's rows are appended to `committed` in
 * commit order, with its marker written to the checkpoint store in the same step, and a
 * marker that exists already ends the attempt with the outcome the committed one had, as
 * Neo4jSink reads it back. A marker written under a lease the store no longer holds fails
 * the transaction. `fault` decides per attempt what goes wrong; `latencyMs` keeps transactions open long enough to
 * overlap, and `overlaps` lists each pair of transactions that were open at once with a
 * row key in common (by `keyOf`).
 */
export class MemorySink implements BatchSink {
  readonly committed: Transaction[] = [];
  readonly attempts: Transaction[] = [];
  readonly statements: string[] = [];
  readonly overlaps: [unknown, unknown][] = [];
  private readonly open = new Set<Transaction>();
  /** What each committed batch reported, kept with its marker as Neo4jSink keeps it. */
  private readonly outcomes = new Map<string, BatchResult>();
  private readonly store: MemoryCheckpointStore;
  private readonly options: {
    readonly fault?: (transaction: Transaction, attempt: number) => Fault | undefined;
    readonly latencyMs?: number;
    readonly keyOf?: (row: unknown) => unknown;
    /** Rows of relationship statements whose endpoints are "missing", by position in the batch. */
    readonly unmatched?: (row: unknown) => boolean;
  };

  constructor(store: MemoryCheckpointStore, options: MemorySink["options"] = {}) {
    this.store = store;
    this.options = options;
  }

  /** Committed rows in commit order. */
  get rows(): unknown[] {
    return this.committed.flatMap((transaction) => transaction.rows);
  }

  async write(batch: BatchWrite): Promise<BatchResult> {
    const transaction: Transaction = { cypher: batch.cypher, rows: parameterRows(batch.shape ?? ROWS, batch.parameters), marker: batch.marker };
    this.attempts.push(transaction);
    const fault = this.options.fault?.(transaction, this.attempts.length);
    this.noteOverlaps(transaction);
    this.open.add(transaction);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs ?? 0));
      // As Neo4jSink's marker statement: no marker, and no batch, once the lease is another run's.
      if (batch.marker?.lease !== undefined && this.store.storedLease?.token !== batch.marker.lease) {
        throw new GraphloadError("GL_LEASE_LOST", "another run took over the lease");
      }
      if (batch.marker && this.store.markers.has(batch.marker.id)) {
        return { ...(this.outcomes.get(batch.marker.id) ?? { counters: {}, unmatched: [] }), alreadyCommitted: true };
      }
      if (fault === "deadlock") throw error("Neo.TransientError.Transaction.DeadlockDetected");
      if (fault === "lost-connection") throw error("ServiceUnavailable");
      if (fault === "too-large") throw error("Neo.TransientError.General.MemoryPoolOutOfMemoryError");
      if (fault === "fatal") throw error("Neo.ClientError.Statement.SyntaxError");
      if (typeof fault === "object" && transaction.rows.some(fault.refuseRows)) throw error("Neo.ClientError.Schema.ConstraintValidationFailed", "refused row");
      const unmatched = transaction.rows.flatMap((row, index) => (this.options.unmatched?.(row) ? [index] : []));
      this.committed.push({ ...transaction, rows: transaction.rows.filter((_, index) => !unmatched.includes(index)) });
      const outcome = { counters: { nodesCreated: transaction.rows.length - unmatched.length }, unmatched };
      if (batch.marker) {
        this.store.markers.set(batch.marker.id, batch.marker);
        this.outcomes.set(batch.marker.id, outcome);
      }
      if (fault === "unknown-outcome") throw error("ServiceUnavailable", "connection lost after commit");
      return outcome;
    } finally {
      this.open.delete(transaction);
    }
  }

  async runStatement(cypher: string): Promise<BatchResult> {
    this.statements.push(cypher);
    return { counters: cypher.startsWith("CREATE CONSTRAINT") ? { constraintsAdded: 1 } : {}, unmatched: [] };
  }

  private noteOverlaps(transaction: Transaction): void {
    const keyOf = this.options.keyOf;
    if (!keyOf) return;
    const keys = new Set(transaction.rows.map(keyOf));
    for (const other of this.open) {
      for (const row of other.rows) if (keys.has(keyOf(row))) this.overlaps.push([keyOf(row), keyOf(transaction.rows[0])]);
    }
  }
}
