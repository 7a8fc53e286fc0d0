import type { TaskSummary } from "./run-summary.js";

/** What a run reports while it goes; progress reporters and logs are built on these. */
export type RunEvent =
  | { readonly type: "stage-start"; readonly stage: string; readonly tasks: readonly string[] }
  | { readonly type: "stage-end"; readonly stage: string; readonly durationMs: number }
  | { readonly type: "task-start"; readonly stage: string; readonly task: string; readonly source: string; readonly totalBytes: number | undefined }
  | { readonly type: "task-progress"; readonly stage: string; readonly task: string; readonly progress: Readonly<TaskSummary>; readonly totalBytes: number | undefined }
  | { readonly type: "task-end"; readonly stage: string; readonly task: string; readonly summary: Readonly<TaskSummary> }
  | { readonly type: "statement"; readonly stage: string; readonly index: number; readonly statement: string }
  | { readonly type: "retry"; readonly stage: string; readonly task: string; readonly attempt: number; readonly error: { code: string; message: string } };

export type RunEventListener = (event: RunEvent) => void;
