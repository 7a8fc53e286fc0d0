import type { StagePlan } from "../plan/build-plan.js";
import { BatchScheduler } from "./batch-scheduler.js";
import { heldBookmarks, stageBookmarks } from "./stage-bookmarks.js";
import { readSources } from "./read-sources.js";
import type { RunContext } from "./run-context.js";
import { TaskRun } from "./run-task.js";

/**
 * Runs one stage from the bookmarks of the stage before, and returns the bookmarks that
 * cover everything it committed (those it was given, when it committed nothing). Statements
 * run one after another; tasks side by side, their batches sharing one scheduler so that
 * no two batches of the stage merge the same key at once.
 */
export async function runStage(context: RunContext, stage: StagePlan, bookmarks: readonly string[]): Promise<readonly string[]> {
  const started = performance.now();
  context.emit({ type: "stage-start", stage: stage.name, kind: stage.kind, tasks: stage.kind === "tasks" ? stage.tasks.map((task) => task.task.name) : [] });
  const stageMarks = stageBookmarks(bookmarks);
  try {
    if (stage.kind === "statements") {
      for (const [index, statement] of stage.statements.entries()) {
        if (context.failure) break;
        context.emit({ type: "statement", stage: stage.name, index, statement });
        const result = await context.options.sink.runStatement(statement, stageMarks);
        context.emit({ type: "statement-done", stage: stage.name, index, counters: result.counters });
      }
    } else {
      const scheduler = new BatchScheduler(context.options.concurrency, context.buckets);
      await readSources(
        context,
        stage.tasks.map((task) => new TaskRun(context, stage.name, task, scheduler, stageMarks)),
      );
    }
  } finally {
    context.emit({ type: "stage-end", stage: stage.name, durationMs: performance.now() - started });
  }
  return heldBookmarks(stageMarks);
}
