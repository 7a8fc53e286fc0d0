import { countText } from "../count-text.js";
import { rowsPerSecond, type TaskSummary } from "../run/run-summary.js";
import type { RunEvent } from "../run/run-events.js";
import { formatBytes, type ProgressReporter } from "./progress-reporter.js";

export interface LogReporterOptions {
  readonly write: (line: string) => void;
  readonly format: "text" | "json";
  /** Milliseconds between progress lines of one task. */
  readonly intervalMs?: number;
  /** Clock, injectable so tests control time. */
  readonly now?: () => number;
}

/**
 * Progress for logs and containers: a line when a stage or task starts and ends, and at
 * most one progress line per task per interval (lines are written as events arrive, so a
 * stalled task says nothing rather than repeating itself).
 */
export class LogReporter implements ProgressReporter {
  private readonly options: Required<LogReporterOptions>;
  private readonly lastLine = new Map<string, number>();

  constructor(options: LogReporterOptions) {
    this.options = { intervalMs: 5000, now: Date.now, ...options };
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case "stage-start":
        return this.log({ event: "stage-start", stage: event.stage }, `stage ${event.stage} started`);
      case "stage-end":
        return this.log({ event: "stage-end", stage: event.stage, durationMs: Math.round(event.durationMs) }, `stage ${event.stage} done in ${(event.durationMs / 1000).toFixed(1)}s`);
      case "statement":
        return this.log({ event: "statement", stage: event.stage, index: event.index }, `stage ${event.stage}: statement ${event.index + 1}`);
      case "task-start":
        this.lastLine.set(event.task, this.options.now());
        return this.log({ event: "task-start", stage: event.stage, task: event.task, source: event.source }, `task ${event.task} reading ${event.source}`);
      case "task-progress": {
        const now = this.options.now();
        if (now - (this.lastLine.get(event.task) ?? 0) < this.options.intervalMs) return;
        this.lastLine.set(event.task, now);
        return this.log({ event: "task-progress", stage: event.stage, task: event.task, ...numbers(event.progress) }, `task ${event.task}: ${describe(event.progress, event.totalBytes)}`);
      }
      case "task-end":
        return this.log({ event: "task-end", stage: event.stage, task: event.task, ...numbers(event.summary) }, `task ${event.task} done: ${describe(event.summary, undefined)}`);
      case "retry":
        return this.log({ event: "retry", stage: event.stage, task: event.task, attempt: event.attempt, error: event.error }, `task ${event.task}: retry ${event.attempt} after ${event.error.code}`);
    }
  }

  stop(): void {
    this.lastLine.clear();
  }

  private log(fields: Record<string, unknown>, text: string): void {
    this.options.write(this.options.format === "json" ? JSON.stringify({ time: new Date(this.options.now()).toISOString(), ...fields }) : text);
  }
}

function taskRate(summary: Readonly<TaskSummary>): number {
  return rowsPerSecond(summary.rowsWritten, summary.durationMs);
}

function numbers(summary: Readonly<TaskSummary>): Record<string, number> {
  const { rowsRead, rowsWritten, rowsRejected, rowsUnmatched, batches, retries, bytesRead } = summary;
  return { rowsRead, rowsWritten, rowsRejected, rowsUnmatched, batches, retries, bytesRead, rowsPerSecond: taskRate(summary) };
}

function describe(summary: Readonly<TaskSummary>, totalBytes: number | undefined): string {
  const percent = totalBytes ? ` (${Math.min(100, (summary.bytesRead * 100) / totalBytes).toFixed(0)}%)` : "";
  return (
    `${countText(summary.rowsRead)} read, ${countText(summary.rowsWritten)} written, ` +
    `${countText(summary.rowsRejected)} rejected, ${countText(taskRate(summary))} rows/s, ` +
    `${formatBytes(summary.bytesRead)}${percent}`
  );
}
