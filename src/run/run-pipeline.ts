import { resolve } from "node:path";
import type { Driver } from "neo4j-driver";
import pLimit, { type LimitFunction } from "p-limit";
import { GraphloadError } from "../errors.js";
import { buildPlan, type StagePlan, type TaskPlan } from "../plan/build-plan.js";
import { FILTERED, type Row } from "../plan/row-mapper.js";
import type { Pipeline } from "../pipeline/pipeline.js";
import { openSource } from "../source/open-source.js";
import type { SourceRecord } from "../source/source-record.js";
import { DeadLetterFile, type DeadLetter } from "./dead-letter.js";
import { BatchWriter } from "./batch-writer.js";
import { CheckpointStore, markerId, type CommittedRange } from "./checkpoint-store.js";
import { runFingerprint } from "./run-fingerprint.js";
import { Neo4jSink } from "./neo4j-sink.js";
import type { BatchSink } from "./batch-sink.js";
import { AdaptiveBatchSize } from "./adaptive-batch-size.js";
import { LaneDispatcher } from "./lane-dispatcher.js";
import { bucketOf, bucketsFor, laneBuckets, laneOf } from "./mix-and-batch.js";
import type { RunEventListener } from "./run-events.js";
import { RunSummary, type TaskSummary } from "./run-summary.js";
import { addCounters } from "./server-counters.js";
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
  readonly batchSize?: number | "auto";
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
  /** Where batches go; default a Neo4jSink on `driver`. A benchmark may encode and discard. */
  readonly sink?: BatchSink;
}

/**
 * Rows on their way to one transaction. A batch belongs to a lane: lane 0 numbers records
 * in source order (ordinals, counting rejected ones too); the lanes of mix and batch number
 * their own rows. A batch covers `firstSeq` to `lastSeq` of its lane, and its marker says
 * so, which is what a resumed run skips.
 */
interface Batch {
  readonly lane: number;
  readonly rows: Row[];
  readonly records: SourceRecord[];
  readonly seqs: number[];
  readonly firstSeq: number;
  lastSeq: number;
  /** Keyset sources: the key of the record at `lastSeq`. */
  lastKey?: unknown;
}

/** A lane being filled: its current batch, how far it has counted, what an earlier run committed of it. */
interface Lane {
  readonly index: number;
  batch: Batch;
  seq: number;
  readonly committed: readonly CommittedRange[];
  nextCommitted: number;
  /** Buckets of the nodes its rows touch (mix and batch only). */
  readonly buckets: readonly number[];
}

const newBatch = (lane: number, firstSeq: number): Batch => ({ lane, rows: [], records: [], seqs: [], firstSeq, lastSeq: firstSeq - 1 });

const DEADLOCK = "Neo.TransientError.Transaction.DeadlockDetected";

/** State shared by all tasks of one run. */
interface RunContext {
  readonly options: RunOptions;
  readonly sink: BatchSink;
  readonly writer: BatchWriter;
  /** The run-wide limit of transactions in flight. */
  readonly slots: LimitFunction;
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
  const sink = options.sink ?? new Neo4jSink(options.driver, database);
  const context: RunContext = {
    options,
    sink,
    writer: new BatchWriter(sink, { retryBudgetMs: options.retryBudgetMs ?? 60_000 }),
    slots: pLimit(options.concurrency ?? pipeline.defaults.concurrency),
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
  const configured = context.options.batchSize ?? task.settings.batchSize;
  const adaptive = configured === "auto" ? new AdaptiveBatchSize() : undefined;
  const batchSize = (): number => adaptive?.current ?? (configured as number);
  const concurrency = task.strategy === "serial" ? 1 : task.settings.concurrency;
  const committed = await context.checkpoints.committedRanges(task.name);
  summary.batchesSkipped = committed.length;
  const keyColumn = source.keyset?.column;
  const marker = (batch: Batch) => (start: number, end: number) => {
    const first = start === 0 ? batch.firstSeq : batch.seqs[start];
    const whole = end === batch.rows.length;
    // A keyset resume restarts after a range's last key, so a range ends at a record whose key it knows.
    const last = whole ? batch.lastSeq : keyColumn ? batch.seqs[end - 1] : batch.seqs[end] - 1;
    const key = keyColumn === undefined ? null : whole ? batch.lastKey : batch.records[end - 1].values[keyColumn];
    const { run } = context.checkpoints;
    return { id: markerId(run, task.name, batch.lane, first), run, task: task.name, lane: batch.lane, start: first, end: last, key: key ?? null };
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
        cypher: plan.statement(""),
        rows: batch.rows,
        bookmarks,
        marker: marker(batch),
        onRetry: (attempt, error) => {
          const info = errorInfo(error);
          summary.retries++;
          if (info.code === DEADLOCK) summary.deadlocks++;
          onEvent?.({ type: "retry", stage, task: task.name, attempt, error: info });
        },
      });
      if (outcome.tooLarge) adaptive?.shrink(batch.rows.length);
      else if (outcome.transactionMs !== undefined && outcome.retries === 0) adaptive?.observe(batch.rows.length, outcome.transactionMs);
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

  // Mix and batch: rows go to the lane of their endpoints' buckets, and batches run only
  // beside batches whose buckets are disjoint. Otherwise one lane in source order, touching
  // no bucket, so the dispatcher only limits the task's concurrency. Either way a batch
  // then waits for a run-wide slot.
  const mixing = task.strategy === "mix-and-batch" && task.target.kind === "relationship";
  const buckets = mixing ? bucketsFor(concurrency) : 1;
  const dispatcher = new LaneDispatcher(concurrency, mixing ? 2 * concurrency : 1);
  const lanes: Lane[] = (mixing ? laneBuckets(buckets) : [[]]).map((touched, index) => ({
    index,
    batch: newBatch(index, 1),
    seq: 0,
    committed: committed.filter((range) => range.lane === index),
    nextCommitted: 0,
    buckets: touched,
  }));
  const laneOfRow = (row: Row): number => {
    const { from, to } = plan.endpoints!(row);
    return laneOf(bucketOf(from, buckets), bucketOf(to, buckets), buckets);
  };
  // Rows waiting in lanes are bounded too: beyond this many, the fullest lane goes as it is.
  // Markers record each batch's range, so uneven batches resume as exactly as even ones.
  const laneBudget = (): number => (mixing ? 2 * concurrency * batchSize() : Infinity);
  let buffered = 0;
  const dispatch = async (lane: Lane): Promise<void> => {
    const batch = lane.batch;
    lane.batch = newBatch(lane.index, lane.seq + 1);
    buffered -= batch.rows.length;
    if (batch.rows.length === 0) return;
    await dispatcher.submit(lane.buckets, () => context.slots(() => write(batch)));
  };
  /** Counts the next item of the lane; true when an earlier run committed it. */
  const skip = async (lane: Lane): Promise<boolean> => {
    const seq = ++lane.seq;
    while (lane.nextCommitted < lane.committed.length && lane.committed[lane.nextCommitted].end < seq) lane.nextCommitted++;
    const range = lane.committed[lane.nextCommitted];
    if (range && range.start <= seq) {
      summary.rowsSkipped++;
      // A batch being filled must end before this gap.
      await dispatch(lane);
      return true;
    }
    lane.batch.lastSeq = seq;
    return false;
  };

  // A keyset source need not be read again up to where an unbroken run of committed ranges ends.
  let after: unknown;
  if (keyColumn !== undefined && !mixing) {
    const lane = lanes[0];
    for (const range of lane.committed) {
      if (range.start !== lane.seq + 1 || range.key === undefined) break;
      lane.seq = range.end;
      after = range.key;
    }
    lane.batch = newBatch(0, lane.seq + 1);
    summary.rowsBeforeResume = lane.seq;
  }

  onEvent?.({ type: "task-start", stage, task: task.name, source: source.name, totalBytes: source.totalBytes });
  try {
    for await (const item of source.records(after === undefined ? undefined : { after })) {
      if (context.failure) break;
      summary.rowsRead++;
      if (!mixing && (await skip(lanes[0]))) continue;
      if (keyColumn !== undefined && item.kind === "record") lanes[0].batch.lastKey = item.values[keyColumn];
      if (item.kind === "malformed") {
        await reject({ line: item.line, row: item.raw, code: item.code, message: item.message });
        continue;
      }
      let row: Row;
      try {
        const mapped = plan.mapRow(item.values);
        if (mapped === FILTERED) continue;
        row = mapped;
      } catch (error) {
        if (!(error instanceof GraphloadError)) throw error;
        await reject({ line: item.line, row: item.values, code: error.code, message: error.message });
        continue;
      }
      const lane = mixing ? lanes[laneOfRow(row)] : lanes[0];
      if (mixing && (await skip(lane))) continue;
      const batch = lane.batch;
      batch.rows.push(row);
      batch.records.push(item);
      batch.seqs.push(lane.seq);
      buffered++;
      if (batch.rows.length >= batchSize()) await dispatch(lane);
      else if (buffered > laneBudget()) await dispatch(lanes.reduce((fullest, other) => (other.batch.rows.length > fullest.batch.rows.length ? other : fullest)));
    }
    if (!context.failure) for (const lane of lanes) await dispatch(lane);
  } catch (error) {
    context.failure ??= asGraphloadError(error, { task: task.name });
  } finally {
    await dispatcher.drain();
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

function endpointMessage(plan: TaskPlan, row: Row): string {
  const target = plan.task.target;
  if (target.kind !== "relationship" || !plan.endpoints) return "the row wrote nothing";
  const { from, to } = plan.endpoints(row);
  const describe = (label: string, key: readonly { property: string }[], values: unknown[]): string =>
    `(:${label} {${key.map((field, index) => `${field.property}: ${JSON.stringify(String(values[index]))}`).join(", ")}})`;
  return `no start node ${describe(target.from.label, target.from.key, from)} or no end node ${describe(target.to.label, target.to.key, to)}`;
}

function asGraphloadError(error: unknown, context: Record<string, unknown> = {}): GraphloadError {
  if (error instanceof GraphloadError) return error;
  const info = errorInfo(error);
  return new GraphloadError(info.code, info.message, context, { cause: error });
}
