import type { AnyErrorCode } from "../error-codes.js";
import type { RunStatus, SchemaOutcome, TaskSummary } from "./run-summary.js";
import type { ServerCounters } from "./server-counters.js";

/**
 * What a run reports while it goes, in the order it happens. The summary is built from
 * these alone (run-recorder.ts); progress reporters and logs read the same events.
 * Counts in `records` events are increments since the task's previous one.
 */
export type RunEvent =
  | { readonly type: "schema"; readonly outcome: SchemaOutcome; readonly counters: Partial<ServerCounters> }
  | { readonly type: "stage-start"; readonly stage: string; readonly kind: "tasks" | "statements"; readonly tasks: readonly string[] }
  | { readonly type: "stage-end"; readonly stage: string; readonly durationMs: number }
  | { readonly type: "statement"; readonly stage: string; readonly index: number; readonly statement: string }
  | { readonly type: "statement-done"; readonly stage: string; readonly index: number; readonly counters: Partial<ServerCounters> }
  | {
      readonly type: "task-start";
      readonly stage: string;
      readonly task: string;
      readonly source: string;
      readonly totalBytes: number | undefined;
      readonly batchesSkipped: number;
      readonly rowsBeforeResume: number;
    }
  | { readonly type: "records"; readonly stage: string; readonly task: string; readonly read: number; readonly filtered: number; readonly skipped: number }
  | {
      readonly type: "batch";
      readonly stage: string;
      readonly task: string;
      readonly rows: number;
      readonly written: number;
      readonly counters: Partial<ServerCounters>;
      readonly transactions: number;
      readonly latencyMs: number;
    }
  | {
      readonly type: "rejected";
      readonly stage: string;
      readonly task: string;
      /** The file of a source over several, in which `line` counts. */
      readonly file?: string;
      readonly line: number;
      readonly code: AnyErrorCode;
      readonly message: string;
      /** The record as the dead-letter file gets it: column values, or a malformed line's raw text. */
      readonly row: unknown;
      readonly unmatched: boolean;
    }
  | {
      readonly type: "retry";
      readonly stage: string;
      readonly task: string;
      readonly attempt: number;
      readonly deadlock: boolean;
      readonly error: { readonly code: AnyErrorCode; readonly message: string };
    }
  | {
      readonly type: "task-progress";
      readonly stage: string;
      readonly task: string;
      readonly bytesRead: number;
      readonly durationMs: number;
      readonly totalBytes: number | undefined;
      /** The task's summary so far. */
      readonly progress: Readonly<TaskSummary>;
    }
  | {
      readonly type: "task-end";
      readonly stage: string;
      readonly task: string;
      readonly bytesRead: number;
      readonly durationMs: number;
      readonly summary: Readonly<TaskSummary>;
    }
  /** Something went wrong beside the load itself (a metrics push), which the run goes on without. */
  | { readonly type: "warning"; readonly message: string }
  | {
      readonly type: "run-end";
      readonly status: RunStatus;
      readonly error?: { readonly code: AnyErrorCode; readonly message: string };
      readonly durationMs: number;
      readonly bookmarks: readonly string[];
      readonly deadLetterFile?: string;
    };

export type RunEventListener = (event: RunEvent) => void;
