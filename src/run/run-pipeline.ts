import { resolve } from "node:path";
import type { Driver } from "neo4j-driver";
import { GraphloadError } from "../errors.js";
import { buildPlan, type StagePlan, type TaskPlan } from "../plan/build-plan.js";
import type { Pipeline } from "../pipeline/pipeline.js";
import { openSource } from "../source/open-source.js";
import type { SourceRecord } from "../source/source-record.js";
import { DeadLetterFile, type DeadLetter } from "./dead-letter.js";
import { BatchWriter } from "./batch-writer.js";
import { CheckpointStore, markerId } from "./checkpoint-store.js";
import { runFingerprint } from "./run-fingerprint.js";
import { Neo4jSink } from "./neo4j-sink.js";
import type { RunEventListener } from "./run-events.js";
import { RunSummary, type TaskSummary } from "./run-summary.js";
import { addCounters } from "./server-counters.js";
import { WriteSlots } from "./write-slots.js";
import { errorInfo } from "./error-info.js";

export interface RunOptions {
  /** The one driver every session of the run is opened on; its pool should hold `concurrency` connections. */
  readonly driver: Driver;
  readonly database?: string;
  /** Aborting stops reading; batches in flight finish, and the summary says `stopped`. */
  readonly signal?: AbortSignal;
  readonly onEvent?: RunEventListener;
  /** Run only these stages (by name), in pipeline order. */
  readonly stages?: readonly string[];
  /** Overrides every task's batch size. */
  readonly batchSize?: number;
  /** Overrides the run-wide limit of transactions in flight. */
  readonly concurrency?: number;
  /** Dead-letter file; default `<pipeline name>.rejected.jsonl` in the working directory. */
  readonly deadLetterFile?: string;
  /** Stream read by `stdin` sources; default `process.stdin`. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Stop the run once more than this many rows have been rejected. */
  readonly maxErrors?: number;
  /** How long a batch keeps being retried after its first transient failure; default 60 s. */
  readonly retryBudgetMs?: number;
  /** Continue an interrupted run of the same pipeline, skipping the batches that committed. */
  readonly resume?: boolean;
  /** Forget an interrupted run and start over. */
  readonly fresh?: boolean;
  /** Keep the batch markers of a completed run (they are removed by default). */
  readonly keepMarkers?: boolean;
  /** Bookmarks the first stage starts from. */
  readonly bookmarks?: readonly string[];
}

/**
 * Rows on their way to one transaction. Records are numbered in source order (ordinals,
 * counting rejected ones too); a batch covers `firstOrdinal` to `lastOrdinal`, and its marker
 * says so, which is what a resumed run skips.
 */
interface Batch {
  readonly rows: Record<string, unknown>[];
  readonly records: SourceRecord[];
  readonly ordinals: number[];
  readonly firstOrdinal: number;
  lastOrdinal: number;
}

const newBatch = (firstOrdinal: number): Batch => ({ rows: [], records: [], ordinals: [], firstOrdinal, lastOrdinal: firstOrdinal - 1 });

/** State shared by all tasks of one run. */
interface RunContext {
  readonly options: RunOptions;
  readonly sink: Neo4jSink;
  readonly writer: BatchWriter;
  readonly slots: WriteSlots;
  readonly deadLetters: DeadLetterFile;
  readonly checkpoints: CheckpointStore;
  readonly summary: RunSummary;
  /** Set when the run must stop reading: a failed batch, or the caller's signal. */
  failure: GraphloadError | undefined;
}

/**
 * Runs a pipeline: stages in order, the tasks of a stage side by side, each task's rows cut
 * into batches written concurrently within one run-wide limit. Every session of a stage
 * starts from the bookmarks of all sessions of the stage before. Each batch commits with a
 * marker, so an interrupted run can be resumed without writing anything twice. Resolves to
 * the summary whatever happens once the run has begun; rejects when it cannot begin (an
 * unknown stage, an interrupted run without `resume` or `fresh`, no server).
 */
export async function runPipeline(pipeline: Pipeline, options: RunOptions): Promise<RunSummary> {
  const plan = buildPlan(pipeline, { stages: options.stages });
  const summary = new RunSummary(pipeline.name);
  const database = options.database ?? pipeline.neo4j.database;
  const checkpoints = new CheckpointStore(options.driver, database, pipeline.name, options.retryBudgetMs ?? 60_000);
  const resuming = await beginRun(checkpoints, pipeline, options);
  const deadLetters = new DeadLetterFile(resolve(options.deadLetterFile ?? `${pipeline.name}.rejected.jsonl`), { append: resuming });
  const sink = new Neo4jSink(options.driver, database);
  const context: RunContext = {
    options,
    sink,
    writer: new BatchWriter(sink, { retryBudgetMs: options.retryBudgetMs ?? 60_000 }),
    slots: WriteSlots.of(options.concurrency ?? pipeline.defaults.concurrency),
    deadLetters,
    checkpoints,
    summary,
    failure: undefined,
  };
  const onAbort = (): void => {
    context.failure ??= new GraphloadError("GL_STOPPED", "the run was stopped before it finished; run it again with --resume to continue");
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const started = performance.now();
  let bookmarks: readonly string[] = options.bookmarks ?? [];
  try {
    for (const stage of plan.stages) {
      if (context.failure) break;
      bookmarks = await runStage(context, stage, bookmarks);
    }
    if (!context.failure) await checkpoints.complete(options.keepMarkers ?? false);
  } catch (error) {
    context.failure ??= asGraphloadError(error);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await deadLetters.close();
  }
  summary.durationMs = performance.now() - started;
  summary.bookmarks = [...bookmarks];
  if (deadLetters.count > 0) summary.deadLetterFile = deadLetters.path;
  if (context.failure) {
    summary.status = context.failure.code === "GL_STOPPED" ? "stopped" : "failed";
    summary.error = { code: context.failure.code, message: context.failure.message };
  }
  return summary;
}

async function runStage(context: RunContext, stage: StagePlan, bookmarks: readonly string[]): Promise<readonly string[]> {
  const { onEvent } = context.options;
  const stageSummary = context.summary.addStage(stage.name, stage.kind);
  const started = performance.now();
  onEvent?.({ type: "stage-start", stage: stage.name, tasks: stage.kind === "tasks" ? stage.tasks.map((t) => t.task.name) : [] });
  const next = new Set<string>();
  try {
    if (stage.kind === "statements") {
      let chain = bookmarks;
      for (const [index, statement] of stage.statements.entries()) {
        if (context.failure) break;
        onEvent?.({ type: "statement", stage: stage.name, index, statement });
        const result = await context.sink.runStatement(statement, chain);
        addCounters(stageSummary.counters, result.counters);
        chain = result.bookmarks;
      }
      chain.forEach((bookmark) => next.add(bookmark));
    } else {
      await Promise.all(
        stage.tasks.map((task) => {
          const taskSummary = RunSummary.newTask(task.task.name, "");
          stageSummary.tasks.push(taskSummary);
          return runTask(context, stage.name, task, taskSummary, bookmarks, next);
        }),
      );
    }
  } finally {
    stageSummary.durationMs = performance.now() - started;
    onEvent?.({ type: "stage-end", stage: stage.name, durationMs: stageSummary.durationMs });
  }
  // A stage that committed nothing passes on the bookmarks it was given.
  return next.size > 0 ? [...next] : bookmarks;
}

async function runTask(
  context: RunContext,
  stage: string,
  plan: TaskPlan,
  summary: TaskSummary,
  bookmarks: readonly string[],
  stageBookmarks: Set<string>,
): Promise<void> {
  const { onEvent } = context.options;
  const { task } = plan;
  const source = openSource(task.source, { stdin: context.options.stdin });
  Object.assign(summary, { source: source.name });
  const batchSize = context.options.batchSize ?? task.settings.batchSize;
  const slots = context.slots.within(task.settings.concurrency);
  const inFlight = new Set<Promise<void>>();
  const committed = await context.checkpoints.committedRanges(task.name);
  summary.batchesSkipped = committed.length;
  const marker = (batch: Batch) => (start: number, end: number) => {
    const first = start === 0 ? batch.firstOrdinal : batch.ordinals[start];
    const last = end === batch.rows.length ? batch.lastOrdinal : batch.ordinals[end] - 1;
    return { id: markerId(context.checkpoints.run, task.name, first), run: context.checkpoints.run, task: task.name, start: first, end: last };
  };
  const started = performance.now();
  const progress = (): void => {
    summary.bytesRead = source.bytesRead();
    summary.durationMs = performance.now() - started;
    onEvent?.({ type: "task-progress", stage, task: task.name, progress: summary, totalBytes: source.totalBytes });
  };
  const reject = (letter: Omit<DeadLetter, "task" | "source">): Promise<void> => {
    summary.rowsRejected++;
    const { maxErrors } = context.options;
    if (maxErrors !== undefined && context.summary.rowsRejected > maxErrors) {
      context.failure ??= new GraphloadError("GL_TOO_MANY_ERRORS", `more than ${maxErrors} rows were rejected (--max-errors); see ${context.deadLetters.path}`);
    }
    return context.deadLetters.write({ task: task.name, source: source.name, ...letter });
  };

  const write = async (batch: Batch): Promise<void> => {
    try {
      const outcome = await context.writer.write({
        cypher: plan.cypher,
        rows: batch.rows,
        bookmarks,
        marker: marker(batch),
        onRetry: (attempt, error) => {
          summary.retries++;
          onEvent?.({ type: "retry", stage, task: task.name, attempt, error: errorInfo(error) });
        },
      });
      summary.batches++;
      addCounters(summary.counters, outcome.counters);
      outcome.bookmarks.forEach((bookmark) => stageBookmarks.add(bookmark));
      summary.rowsWritten += batch.rows.length - outcome.unmatched.length - outcome.rejected.length;
      for (const index of outcome.unmatched) {
        summary.rowsUnmatched++;
        await reject({ line: batch.records[index].line, row: batch.records[index].values, code: "GL_ENDPOINT_NOT_FOUND", message: endpointMessage(plan, batch.rows[index]) });
      }
      for (const { index, code, message } of outcome.rejected) {
        await reject({ line: batch.records[index].line, row: batch.records[index].values, code, message });
      }
    } catch (error) {
      context.failure ??= asGraphloadError(error, { task: task.name, line: batch.records[0]?.line });
    } finally {
      progress();
    }
  };

  const dispatch = async (batch: Batch): Promise<void> => {
    const { done } = await slots.acquire(() => write(batch));
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  onEvent?.({ type: "task-start", stage, task: task.name, source: source.name, totalBytes: source.totalBytes });
  let batch = newBatch(1);
  let ordinal = 0;
  let nextCommitted = 0;
  try {
    for await (const item of source.records()) {
      if (context.failure) break;
      summary.rowsRead++;
      ordinal++;
      while (nextCommitted < committed.length && committed[nextCommitted].end < ordinal) nextCommitted++;
      if (nextCommitted < committed.length && committed[nextCommitted].start <= ordinal) {
        // Committed by an earlier run: a batch being filled must end before this gap.
        if (batch.rows.length > 0) await dispatch(batch);
        batch = newBatch(ordinal + 1);
        continue;
      }
      batch.lastOrdinal = ordinal;
      if (item.kind === "malformed") {
        await reject({ line: item.line, row: item.raw, code: item.code, message: item.message });
        continue;
      }
      let row: Record<string, unknown>;
      try {
        row = plan.mapRow(item.values);
      } catch (error) {
        if (!(error instanceof GraphloadError)) throw error;
        await reject({ line: item.line, row: item.values, code: error.code, message: error.message });
        continue;
      }
      if (plan.reportsUnmatched) row.i = batch.rows.length;
      batch.rows.push(row);
      batch.records.push(item);
      batch.ordinals.push(ordinal);
      if (batch.rows.length >= batchSize) {
        await dispatch(batch);
        batch = newBatch(ordinal + 1);
      }
    }
    if (batch.rows.length > 0 && !context.failure) await dispatch(batch);
  } catch (error) {
    context.failure ??= asGraphloadError(error, { task: task.name });
  } finally {
    await Promise.all(inFlight);
    summary.durationMs = performance.now() - started;
    summary.bytesRead = source.bytesRead();
    onEvent?.({ type: "task-end", stage, task: task.name, summary });
  }
}

/** Decides, before anything is written, whether this run starts afresh or continues one. */
async function beginRun(checkpoints: CheckpointStore, pipeline: Pipeline, options: RunOptions): Promise<boolean> {
  await checkpoints.prepare();
  const fingerprint = runFingerprint(pipeline);
  const previous = await checkpoints.previous();
  let resuming = false;
  if (previous?.status === "running" && !options.fresh) {
    if (!options.resume) {
      throw new GraphloadError(
        "GL_INTERRUPTED_RUN",
        `a run of pipeline "${pipeline.name}" was interrupted; run again with --resume to continue it, or --fresh to start over`,
      );
    }
    if (previous.fingerprint !== fingerprint) {
      throw new GraphloadError(
        "GL_RESUME_MISMATCH",
        `cannot resume "${pipeline.name}": the pipeline or one of its input files changed since the interrupted run; use --fresh to start over`,
      );
    }
    resuming = true;
  } else if (previous) {
    await checkpoints.clear();
  }
  await checkpoints.begin(fingerprint);
  return resuming;
}

function endpointMessage(plan: TaskPlan, row: Record<string, unknown>): string {
  const target = plan.task.target;
  if (target.kind !== "relationship") return "the row wrote nothing";
  const describe = (label: string, key: readonly { property: string }[], values: unknown): string => {
    const list = values as unknown[];
    return `(:${label} {${key.map((field, index) => `${field.property}: ${JSON.stringify(String(list[index]))}`).join(", ")}})`;
  };
  return `no start node ${describe(target.from.label, target.from.key, row.f)} or no end node ${describe(target.to.label, target.to.key, row.t)}`;
}

function asGraphloadError(error: unknown, context: Record<string, unknown> = {}): GraphloadError {
  if (error instanceof GraphloadError) return error;
  const info = errorInfo(error);
  return new GraphloadError(info.code, info.message, context, { cause: error });
}
