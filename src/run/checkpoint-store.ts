/**
 * What one committed transaction covered, in one lane of a task: a range of that lane's
 * numbering (1-based, inclusive). Lane "0" numbers source records in order; a routed lane
 * (`variant#n`) numbers the rows routed to it, in source order.
 */
export interface CommittedRange {
  readonly lane: string;
  readonly start: number;
  readonly end: number;
  /** Keyset sources: the key of the range's last record. */
  readonly key?: unknown;
}

/** The marker a batch writes in its own transaction, so its commit and the marker are one. */
export interface BatchMarker {
  readonly id: string;
  readonly run: string;
  readonly task: string;
  readonly lane: string;
  readonly start: number;
  readonly end: number;
  /** Keyset sources: the key of the last record; null otherwise. */
  readonly key: unknown;
}

export interface RunRecord {
  readonly fingerprint: string;
  readonly status: "running" | "completed";
  /** Where the run's rejected rows go, so a resumed run appends to the same file; absent in records of older versions. */
  readonly deadLetterFile?: string;
}

export function markerId(run: string, task: string, lane: string, start: number): string {
  return JSON.stringify([run, task, lane, start]);
}

/**
 * Where a run's progress lives. The markers themselves are written by the sink, in the
 * batch's own transaction; the store reads them back, and keeps the one record per
 * pipeline name that says whether its last run completed. Neo4jCheckpointStore keeps both
 * in the target database; tests use an in-memory one.
 */
export interface CheckpointStore {
  /** The pipeline name whose runs this store keeps. */
  readonly run: string;
  /** Makes sure the store can be used (constraints, for the Neo4j store). */
  prepare(): Promise<void>;
  previous(): Promise<RunRecord | undefined>;
  begin(fingerprint: string, deadLetterFile: string): Promise<void>;
  /** Ranges committed for a task, by lane, in lane order. */
  committedRanges(task: string): Promise<CommittedRange[]>;
  /** Marks the run completed, removing its markers unless `keepMarkers`. */
  complete(keepMarkers: boolean): Promise<void>;
  /** Forgets an earlier run: its markers and its record. */
  clear(): Promise<void>;
}
