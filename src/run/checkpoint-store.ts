import type { RunInputs } from "./run-fingerprint.js";

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
  /** Incremental sources: the highest value of the incremental column among the range's records. */
  readonly watermark?: unknown;
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
  /** Incremental sources: the highest value of the incremental column in the batch; null otherwise. */
  readonly watermark: unknown;
  /**
   * The lease token the batch is written under: the batch commits only while that token
   * still holds the pipeline's lease, so a run whose lease was taken over writes nothing more.
   */
  readonly lease?: string;
}

export interface RunRecord {
  readonly fingerprint: string;
  readonly status: "running" | "completed";
  /** Where the run's rejected rows go, so a resumed run appends to the same file; absent in records of older versions. */
  readonly deadLetterFile?: string;
  /** What the fingerprint was made of, so a refused resume names the input that changed; absent in records of older versions. */
  readonly inputs?: RunInputs;
  /** By the server's clock (ISO 8601). */
  readonly startedAt?: string;
  readonly completedAt?: string;
}

/** Who holds a pipeline's lease: one run at a time writes a pipeline's data and state. */
export interface LeaseHolder {
  /** Random, one per run: what the holder renews and releases its lease by. */
  readonly token: string;
  readonly host: string;
  readonly pid: number;
  /** The holder's PID namespace (Linux: `/proc/self/ns/pid`), so a pid is only judged where it means something. */
  readonly pidNamespace?: string;
  /** When its process started (Linux: ticks after boot), so a pid used again by another process is not taken for the holder. */
  readonly pidStart?: string;
  /** When the holder took the lease and last renewed it, by the server's clock (ISO 8601). */
  readonly startedAt: string;
  readonly renewedAt: string;
}

/** The lease as it stands, judged by the server's clock against a timeout. */
export interface HeldLease extends LeaseHolder {
  /** Not renewed for longer than the timeout. */
  readonly lapsed: boolean;
}

export type LeaseClaim = Pick<LeaseHolder, "token" | "host" | "pid" | "pidNamespace" | "pidStart">;

export interface LeaseAttempt {
  readonly taken: boolean;
  /** The holder after the attempt: the claim's when taken, the one in the way otherwise. */
  readonly holder: LeaseHolder;
}

/** Batch markers a run left behind: an unfinished run's, or a run's kept with --keep-markers. */
export interface LeftoverMarkers {
  readonly task: string;
  readonly batches: number;
}

/** An input of an incremental `files` source, as later runs recognise it. */
export interface InputFile {
  /** Where it is: a path or a URL. */
  readonly name: string;
  readonly size: number;
  /** A hash of its content, or an object store's ETag. */
  readonly identity: string;
}

/**
 * What an incremental task reads in one run, fixed before its first batch so that a
 * resumed run reads exactly the same: database sources the rows beyond `watermark`,
 * `files` sources these files in this order.
 */
export interface Increment {
  readonly watermark?: unknown;
  readonly files?: readonly InputFile[];
}

/** What a task that read its whole increment leaves for the next run. */
export interface TaskAdvance {
  /** The highest value of the incremental column read, by this run and the one it resumed. */
  readonly watermark?: unknown;
  /** Files loaded whole. */
  readonly files?: readonly InputFile[];
}

export interface StoredWatermark {
  readonly task: string;
  readonly value: unknown;
  /** ISO 8601 time of the run that set it. */
  readonly updatedAt: string;
}

export interface LoadedFile extends InputFile {
  readonly task: string;
  /** ISO 8601 time of the run that loaded it. */
  readonly loadedAt: string;
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
  begin(fingerprint: string, deadLetterFile: string, inputs?: RunInputs): Promise<void>;
  /** Ranges committed for a task, by lane, in lane order. */
  committedRanges(task: string): Promise<CommittedRange[]>;
  /**
   * Marks the run completed and, in the same transaction, records what its incremental
   * tasks read (advances by task): watermarks and loaded files. Then removes the run's
   * markers unless `keepMarkers`. With `lease`, only while that lease holds the pipeline,
   * as a batch's marker: false, and nothing written, when another run has taken it over.
   */
  complete(keepMarkers: boolean, advances?: ReadonlyMap<string, TaskAdvance>, lease?: string): Promise<boolean>;
  /** Forgets an earlier run: its markers, its increments and its record (what `--fresh` discards); never the lease, watermarks or loaded files. */
  clear(): Promise<void>;

  /** The increment this run, or the interrupted run it resumes, fixed for a task; undefined before it did. */
  increment(task: string): Promise<Increment | undefined>;
  /** Fixes a task's increment for this run and any resume of it. */
  beginIncrement(task: string, increment: Increment): Promise<void>;
  /** Watermarks left by completed runs, by task (`graphload state` shows them). */
  watermarks(): Promise<StoredWatermark[]>;
  /** Files loaded by completed runs: one task's, or every task's. */
  loadedFiles(task?: string): Promise<LoadedFile[]>;
  /** Forgets a task's watermark, so its next run starts from `initial`; false when it had none. */
  resetWatermark(task: string): Promise<boolean>;
  /** Forgets the files a task loaded, so its next run loads every match again; how many were forgotten. */
  forgetFiles(task: string): Promise<number>;
  /**
   * Takes the pipeline's lease in one write transaction, which reads the lease under its
   * lock and sets `claim` when there is none, when `claim`'s token holds it already, or
   * when `mayTake` agrees; two runs racing cannot both take it. `timeoutMs` decides, by the
   * server's clock, whether the lease found has lapsed.
   */
  takeLease(claim: LeaseClaim, timeoutMs: number, mayTake: (held: HeldLease) => boolean): Promise<LeaseAttempt>;
  /** Renews the lease `token` holds, by the server's clock; false when it holds it no more. */
  renewLease(token: string): Promise<boolean>;
  /** Removes the lease, if `token` still holds it. */
  releaseLease(token: string): Promise<void>;
  /** The lease as it stands, if any. */
  lease(timeoutMs: number): Promise<HeldLease | undefined>;
  /** Markers in the database for this pipeline, by task. */
  leftoverMarkers(): Promise<LeftoverMarkers[]>;
}
