import type { RunStatus, RunSummaryJson, SchemaSummary, TaskSummary } from "../run/run-summary.js";
import type { ServerCounters } from "../run/server-counters.js";

/**
 * Everything the HTML report shows, as plain data: what ReportRecorder gathers during a run
 * and render-report.ts draws. Times are milliseconds since the run's first event.
 */
export interface ReportData {
  readonly pipeline: string;
  readonly status: RunStatus;
  readonly exitCode: number;
  readonly error?: { readonly code: string; readonly message: string };
  /** ISO 8601. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Width of one time bucket: 1000 ms, doubled each time a long run would need too many. */
  readonly bucketMs: number;
  readonly totals: RunSummaryJson["totals"];
  readonly schema: SchemaSummary;
  readonly stages: readonly ReportStage[];
  readonly rejected: readonly RejectedGroup[];
  /** Rejected rows past the codes kept apart (see ReportRecorder), by count only. */
  readonly rejectedOtherCodes: number;
  readonly deadLetterFile?: string;
  /** What the run was asked to do, secrets left out: name, value. */
  readonly settings: readonly Entry[];
  /** graphload, the driver, the server, Node.js. */
  readonly versions: readonly Entry[];
}

export interface Entry {
  readonly name: string;
  readonly value: string;
}

export interface ReportStage {
  readonly stage: string;
  readonly kind: "tasks" | "statements";
  readonly startMs: number;
  /** Undefined for a stage that had not ended when the run did. */
  readonly endMs?: number;
  readonly counters: ServerCounters;
  readonly tasks: readonly ReportTask[];
}

export interface ReportTask {
  readonly stage: string;
  readonly task: string;
  readonly source: string;
  /** What it writes, e.g. `(:Person {id})`. */
  readonly target?: string;
  /** Mode, strategy, batch size, concurrency, in words. */
  readonly settings?: string;
  readonly startMs: number;
  readonly endMs?: number;
  readonly summary: Readonly<TaskSummary> & { readonly rowsPerSecond: number };
  /** Over the whole task; undefined when no batch was written. */
  readonly latency?: LatencySummary;
  /** Why batches were retried: server code, how often, its first message. */
  readonly retryCodes: readonly { readonly code: string; readonly count: number; readonly message: string }[];
  readonly series: TaskSeries;
}

export interface LatencySummary {
  readonly batches: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * A task's counts per time bucket: element `i` of each array covers bucket `first + i`,
 * that is from `(first + i) * bucketMs` to the next bucket. Latencies are null where no
 * batch ended.
 */
export interface TaskSeries {
  readonly first: number;
  readonly written: readonly number[];
  readonly read: readonly number[];
  readonly batches: readonly number[];
  readonly rejected: readonly number[];
  /** Every retry, deadlocks included. */
  readonly retries: readonly number[];
  readonly deadlocks: readonly number[];
  readonly p50: readonly (number | null)[];
  readonly p90: readonly (number | null)[];
  readonly p99: readonly (number | null)[];
  readonly max: readonly (number | null)[];
}

/** The rejected rows of one code, whichever task they came from. */
export interface RejectedGroup {
  readonly code: string;
  readonly count: number;
  /** Of which relationship rows whose start or end node was missing. */
  readonly unmatched: number;
  readonly tasks: readonly { readonly task: string; readonly count: number }[];
  /** The first few, as the dead-letter file has them (the record as text, cut short when long). */
  readonly examples: readonly RejectedExample[];
}

export interface RejectedExample {
  readonly task: string;
  readonly source: string;
  readonly line: number;
  readonly message: string;
  readonly row: string;
}
