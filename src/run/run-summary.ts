import { countText } from "../count-text.js";
import { runExitCode, type AnyErrorCode, type ExitCode } from "../error-codes.js";
import { addCounters, zeroCounters, type ServerCounters } from "./server-counters.js";

export interface TaskSummary {
  readonly task: string;
  readonly source: string;
  rowsRead: number;
  rowsWritten: number;
  /** Rows set aside in the dead-letter file, `rowsUnmatched` included. */
  rowsRejected: number;
  rowsUnmatched: number;
  /** Rows the task's `where` left out: neither written nor rejected. */
  rowsFiltered: number;
  batches: number;
  batchesSkipped: number;
  /** Records an earlier, interrupted run committed, which this run skipped. */
  rowsSkipped: number;
  /** Keyset sources: records an earlier run committed, which this run did not read again. */
  rowsBeforeResume: number;
  retries: number;
  /** Retries of batches the server chose as deadlock victims. */
  deadlocks: number;
  bytesRead: number;
  durationMs: number;
  readonly counters: ServerCounters;
}

export interface StageSummary {
  readonly stage: string;
  readonly kind: "tasks" | "statements";
  durationMs: number;
  readonly tasks: TaskSummary[];
  /** Counters of a statements stage, summed over its statements. */
  readonly counters: ServerCounters;
}

export type RunStatus = "completed" | "failed" | "stopped";

/** What became of one constraint or index the run made sure of before writing. */
export interface SchemaOutcome {
  readonly name: string;
  readonly description: string;
  /** `present`: there already (under this or another name); `failed`: it could not be created, see `message`. */
  readonly result: "created" | "present" | "failed";
  readonly message?: string;
}

export interface SchemaSummary {
  readonly operations: SchemaOutcome[];
  readonly counters: ServerCounters;
}

export interface RunSummaryJson {
  pipeline: string;
  status: RunStatus;
  exitCode: number;
  error?: { code: string; message: string };
  startedAt: string;
  durationMs: number;
  schema: SchemaSummary;
  stages: Array<StageSummary & { rowsPerSecond: number }>;
  totals: Omit<TaskSummary, "task" | "source" | "counters" | "bytesRead" | "durationMs"> & { counters: ServerCounters; rowsPerSecond: number };
  bookmarks: string[];
  deadLetterFile?: string;
}

/** Rows per second over `ms` milliseconds, rounded; 0 before any time has passed. */
export const rowsPerSecond = (rows: number, ms: number): number => (ms > 0 ? Math.round((rows * 1000) / ms) : 0);

/** The outcome of a run: what each stage and task read, wrote and set aside, and the server's counters. */
export class RunSummary {
  readonly pipeline: string;
  readonly startedAt = new Date();
  readonly stages: StageSummary[] = [];
  readonly schema: SchemaSummary = { operations: [], counters: zeroCounters() };
  status: RunStatus = "completed";
  error: { code: AnyErrorCode; message: string } | undefined;
  durationMs = 0;
  bookmarks: string[] = [];
  deadLetterFile: string | undefined;

  constructor(pipeline: string) {
    this.pipeline = pipeline;
  }

  addStage(stage: string, kind: StageSummary["kind"]): StageSummary {
    const summary: StageSummary = { stage, kind, durationMs: 0, tasks: [], counters: zeroCounters() };
    this.stages.push(summary);
    return summary;
  }

  static newTask(task: string, source: string): TaskSummary {
    return {
      task,
      source,
      rowsRead: 0,
      rowsWritten: 0,
      rowsRejected: 0,
      rowsUnmatched: 0,
      rowsFiltered: 0,
      batches: 0,
      batchesSkipped: 0,
      rowsSkipped: 0,
      rowsBeforeResume: 0,
      retries: 0,
      deadlocks: 0,
      bytesRead: 0,
      durationMs: 0,
      counters: zeroCounters(),
    };
  }

  get rowsRejected(): number {
    return this.stages.reduce((sum, stage) => sum + stage.tasks.reduce((taskSum, task) => taskSum + task.rowsRejected, 0), 0);
  }

  get exitCode(): ExitCode {
    return runExitCode(this);
  }

  totals(): RunSummaryJson["totals"] {
    const totals = { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, rowsUnmatched: 0, rowsFiltered: 0, batches: 0, batchesSkipped: 0, rowsSkipped: 0, rowsBeforeResume: 0, retries: 0, deadlocks: 0 };
    const counters = addCounters(zeroCounters(), this.schema.counters);
    for (const stage of this.stages) {
      addCounters(counters, stage.counters);
      for (const task of stage.tasks) {
        for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += task[key];
        addCounters(counters, task.counters);
      }
    }
    return { ...totals, counters, rowsPerSecond: rowsPerSecond(totals.rowsWritten, this.durationMs) };
  }

  toJSON(): RunSummaryJson {
    return {
      pipeline: this.pipeline,
      status: this.status,
      exitCode: this.exitCode,
      ...(this.error ? { error: this.error } : {}),
      startedAt: this.startedAt.toISOString(),
      durationMs: this.durationMs,
      schema: this.schema,
      stages: this.stages.map((stage) => ({
        ...stage,
        tasks: stage.tasks.map((task) => ({ ...task, rowsPerSecond: rowsPerSecond(task.rowsWritten, task.durationMs) })),
        rowsPerSecond: rowsPerSecond(
          stage.tasks.reduce((sum, task) => sum + task.rowsWritten, 0),
          stage.durationMs,
        ),
      })),
      totals: this.totals(),
      bookmarks: this.bookmarks,
      ...(this.deadLetterFile ? { deadLetterFile: this.deadLetterFile } : {}),
    };
  }

  /** Created schema in one line; each failure in its own. */
  private schemaLines(): string[] {
    const created = this.schema.operations.filter((operation) => operation.result === "created");
    const failed = this.schema.operations.filter((operation) => operation.result === "failed");
    return [
      ...(created.length > 0 ? [`schema created: ${created.map((operation) => operation.description).join(", ")}`] : []),
      ...failed.map((operation) => `schema not created: ${operation.description}: ${operation.message ?? ""}`),
    ];
  }

  /** A plain-text table for terminals and logs. */
  format(): string {
    const header = ["stage / task", "read", "written", "rejected", "unmatched", "filtered", "batches", "skipped", "retries", "rows/s", "time"];
    const rows: string[][] = [];
    for (const stage of this.stages) {
      rows.push([stage.stage, "", "", "", "", "", "", "", "", "", seconds(stage.durationMs)]);
      for (const task of stage.tasks) {
        rows.push([
          `  ${task.task}`,
          countText(task.rowsRead),
          countText(task.rowsWritten),
          countText(task.rowsRejected),
          countText(task.rowsUnmatched),
          countText(task.rowsFiltered),
          countText(task.batches),
          countText(task.batchesSkipped),
          countText(task.retries),
          countText(rowsPerSecond(task.rowsWritten, task.durationMs)),
          seconds(task.durationMs),
        ]);
      }
    }
    const totals = this.totals();
    rows.push([
      "total",
      countText(totals.rowsRead),
      countText(totals.rowsWritten),
      countText(totals.rowsRejected),
      countText(totals.rowsUnmatched),
      countText(totals.rowsFiltered),
      countText(totals.batches),
      countText(totals.batchesSkipped),
      countText(totals.retries),
      countText(totals.rowsPerSecond),
      seconds(this.durationMs),
    ]);
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]): string =>
      cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ").trimEnd();
    const counters = Object.entries(totals.counters)
      .filter(([, value]) => value > 0)
      .map(([name, value]) => `${name} ${countText(value)}`);
    const status =
      this.status === "completed"
        ? `completed${totals.rowsRejected > 0 ? `, ${countText(totals.rowsRejected)} rows rejected` : ""}`
        : `${this.status}${this.error ? `: ${this.error.message} [${this.error.code}]` : ""}`;
    return [
      `pipeline ${this.pipeline}: ${status} (exit ${this.exitCode})`,
      line(header),
      ...rows.map(line),
      ...this.schemaLines(),
      `server counters: ${counters.length > 0 ? counters.join(", ") : "none"}`,
      ...(this.deadLetterFile && totals.rowsRejected > 0 ? [`rejected rows: ${this.deadLetterFile}`] : []),
    ].join("\n");
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
