import type { RunEvent } from "./run-events.js";
import { RunSummary, type StageSummary, type TaskSummary } from "./run-summary.js";
import { addCounters } from "./server-counters.js";

/**
 * Turns a run's events into its summary: the one place the summary is written. A recorder
 * reading the events of a run, live or replayed, ends with the same summary.
 */
export class RunRecorder {
  readonly summary: RunSummary;
  private readonly stages = new Map<string, StageSummary>();
  private readonly tasks = new Map<string, TaskSummary>();
  private rejected = 0;

  constructor(pipeline: string) {
    this.summary = new RunSummary(pipeline);
  }

  /** Rows rejected so far, over the whole run. */
  get rowsRejected(): number {
    return this.rejected;
  }

  /** The summary of a task that has started, as it stands. */
  task(stage: string, task: string): Readonly<TaskSummary> {
    return this.taskOf(stage, task);
  }

  record(event: RunEvent): void {
    switch (event.type) {
      case "schema":
        this.summary.schema.operations.push(event.outcome);
        addCounters(this.summary.schema.counters, event.counters);
        return;
      case "stage-start":
        this.stages.set(event.stage, this.summary.addStage(event.stage, event.kind));
        return;
      case "stage-end":
        this.stageOf(event.stage).durationMs = event.durationMs;
        return;
      case "statement":
        return;
      case "statement-done":
        addCounters(this.stageOf(event.stage).counters, event.counters);
        return;
      case "task-start": {
        const task = RunSummary.newTask(event.task, event.source);
        task.batchesSkipped = event.batchesSkipped;
        task.rowsBeforeResume = event.rowsBeforeResume;
        this.stageOf(event.stage).tasks.push(task);
        this.tasks.set(key(event.stage, event.task), task);
        return;
      }
      case "records": {
        const task = this.taskOf(event.stage, event.task);
        task.rowsRead += event.read;
        task.rowsFiltered += event.filtered;
        task.rowsSkipped += event.skipped;
        return;
      }
      case "batch": {
        const task = this.taskOf(event.stage, event.task);
        task.batches++;
        task.rowsWritten += event.written;
        addCounters(task.counters, event.counters);
        return;
      }
      case "rejected": {
        const task = this.taskOf(event.stage, event.task);
        task.rowsRejected++;
        this.rejected++;
        if (event.unmatched) task.rowsUnmatched++;
        return;
      }
      case "retry": {
        const task = this.taskOf(event.stage, event.task);
        task.retries++;
        if (event.deadlock) task.deadlocks++;
        return;
      }
      case "task-progress":
      case "task-end": {
        const task = this.taskOf(event.stage, event.task);
        task.bytesRead = event.bytesRead;
        task.durationMs = event.durationMs;
        return;
      }
      case "run-end":
        this.summary.status = event.status;
        this.summary.error = event.error;
        this.summary.durationMs = event.durationMs;
        this.summary.bookmarks = [...event.bookmarks];
        this.summary.deadLetterFile = event.deadLetterFile;
        return;
    }
  }

  private stageOf(stage: string): StageSummary {
    const summary = this.stages.get(stage);
    if (!summary) throw new Error(`event for stage ${stage} before it started`);
    return summary;
  }

  private taskOf(stage: string, task: string): TaskSummary {
    const summary = this.tasks.get(key(stage, task));
    if (!summary) throw new Error(`event for task ${stage}/${task} before it started`);
    return summary;
  }
}

const key = (stage: string, task: string): string => JSON.stringify([stage, task]);
