import type { BookmarkManager } from "neo4j-driver";
import type { BatchShape } from "../plan/batch-parameters.js";
import type { BatchMarker } from "./checkpoint-store.js";
import type { ServerCounters } from "./server-counters.js";

export interface BatchWrite {
  readonly cypher: string;
  /** The statement's parameters: the batch's rows as `shape` says they travel; `parameterRows` reads the rows back. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Absent: the rows are `$rows`. */
  readonly shape?: BatchShape;
  /**
   * The stage's bookmarks: the session starts from them and leaves its own in their place
   * (stage-bookmarks.ts).
   */
  readonly bookmarks: BookmarkManager;
  /** Written in the same transaction; when it exists already, the batch committed before. */
  readonly marker?: BatchMarker;
}

export interface BatchResult {
  readonly counters: Partial<ServerCounters>;
  /** Values of the statement's `unmatched` column: batch indexes of rows that wrote nothing. */
  readonly unmatched: number[];
  /** The batch's marker was there already: an earlier attempt committed, whose outcome was lost. */
  readonly alreadyCommitted?: boolean;
}

/**
 * Where batches go. A sink writes one batch, once, and says what the server counted:
 * retrying, splitting, batching and concurrency are the engine's. Neo4jSink is the real one;
 * a benchmark's sink may encode and discard.
 */
export interface BatchSink {
  write(batch: BatchWrite): Promise<BatchResult>;
  /** Runs one statement of a statements stage on its own (auto-commit, so `CALL … IN TRANSACTIONS` works). */
  runStatement(cypher: string, bookmarks: BookmarkManager): Promise<BatchResult>;
}
