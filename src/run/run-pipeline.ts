import { GraphloadError } from "../errors.js";
import { buildPlan } from "../plan/build-plan.js";
import type { Pipeline } from "../model/pipeline.js";
import { BatchWriter } from "./batch-writer.js";
import { beginRun } from "./begin-run.js";
import { beginIncrements } from "./task-increment.js";
import { bucketsFor } from "./buckets.js";
import { DeadLetterFile } from "./dead-letter.js";
import { ensureSchema } from "./ensure-schema.js";
import { MetricsPush } from "./metrics-push.js";
import { RunContext } from "./run-context.js";
import { RunLease } from "./run-lease.js";
import { runInputs } from "./run-fingerprint.js";
import { listPipelineInputs } from "./source-inputs.js";
import { resolveRunOptions, type RunOptions } from "./run-options.js";
import { RunRecorder } from "./run-recorder.js";
import type { RunSummary } from "./run-summary.js";
import { runStage } from "./run-stage.js";

export type { RunOptions } from "./run-options.js";

/**
 * Runs a pipeline: the schema it needs, then stages in order, the tasks of a stage side by
 * side, each task's rows cut into batches written concurrently within one run-wide limit.
 * Every session of a stage starts from the bookmarks of all sessions of the stage before.
 * Each batch commits with a marker, so an interrupted run can be resumed without writing
 * anything twice. One run of a pipeline at a time: the run holds a lease on its name from
 * before it reads the pipeline's state to its end. Resolves to the summary whatever happens
 * once the run has begun; rejects when it cannot begin (an unknown stage, contradictory
 * options, another run holding the lease, an interrupted run without `resume` or `fresh`,
 * no server).
 */
export async function runPipeline(pipeline: Pipeline, runOptions: RunOptions): Promise<RunSummary> {
  const options = resolveRunOptions(pipeline, runOptions);
  const plan = buildPlan(pipeline, { stages: options.stages });
  const inputs = await listPipelineInputs(pipeline);
  const recorded = runInputs(pipeline, inputs);
  await options.checkpoints.prepare();
  const lease = await RunLease.take(options.checkpoints, options.lease);
  let begun;
  let increments;
  let metrics;
  try {
    begun = await beginRun(options.checkpoints, recorded, options);
    increments = await beginIncrements(options.checkpoints, plan.stages, inputs);
    metrics = options.metricsPush
      ? await MetricsPush.start(pipeline.name, options.metricsPush, (message) => options.onEvent?.({ type: "warning", message }))
      : undefined;
  } catch (error) {
    await releaseQuietly(lease);
    throw error;
  }
  const recorder = new RunRecorder(pipeline.name);
  const deadLetters = new DeadLetterFile(begun.deadLetterFile, { append: begun.resuming });
  const context = new RunContext({
    options: metrics ? { ...options, onEvent: (event) => {
      metrics.onEvent(event);
      options.onEvent?.(event);
    } } : options,
    writer: new BatchWriter(options.sink, options.retry),
    deadLetters,
    checkpoints: options.checkpoints,
    recorder,
    buckets: bucketsFor(pipeline.defaults.concurrency),
    inputs,
    increments,
    lease: lease.token,
    resuming: begun.resuming,
  });
  lease.keep((error) => context.fail(error));
  const onAbort = (): void => context.fail(new GraphloadError("GL_STOPPED", "the run was stopped before it finished; run it again with --resume to continue"));
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const started = performance.now();
  let bookmarks = options.bookmarks;
  try {
    bookmarks = await ensureSchema(context, plan.schema, bookmarks);
    for (const stage of plan.stages) {
      if (context.failure) break;
      bookmarks = await runStage(context, stage, bookmarks);
    }
    if (!context.failure && !(await options.checkpoints.complete(options.keepMarkers, context.advances, lease.token))) throw lease.lostBeforeCompletion();
  } catch (error) {
    context.fail(error);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await releaseQuietly(lease);
    await deadLetters.close();
  }
  const failure = context.failure;
  context.emit({
    type: "run-end",
    status: failure ? (failure.code === "GL_STOPPED" ? "stopped" : "failed") : "completed",
    ...(failure ? { error: { code: failure.code, message: failure.message } } : {}),
    durationMs: performance.now() - started,
    bookmarks,
    ...(deadLetters.count > 0 ? { deadLetterFile: deadLetters.path } : {}),
  });
  const summary = recorder.summary;
  await metrics?.finish({ exitCode: summary.exitCode, durationMs: summary.durationMs, completed: summary.status === "completed" });
  return summary;
}

/** A lease that cannot be released (the server is gone) lapses after its timeout instead. */
async function releaseQuietly(lease: RunLease): Promise<void> {
  await lease.release().catch(() => undefined);
}
