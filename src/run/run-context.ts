import { errorInfo, GraphloadError } from "../errors.js";
import type { BatchWriter } from "./batch-writer.js";
import type { CheckpointStore, TaskAdvance } from "./checkpoint-store.js";
import type { DeadLetterSink } from "./dead-letter.js";
import type { RunEvent } from "./run-events.js";
import type { ResolvedRunOptions } from "./run-options.js";
import type { RunRecorder } from "./run-recorder.js";
import type { SourceInputs } from "./source-inputs.js";
import type { TaskIncrement } from "./task-increment.js";

/** What every stage and task of one run shares. */
export class RunContext {
  readonly options: ResolvedRunOptions;
  readonly writer: BatchWriter;
  readonly deadLetters: DeadLetterSink;
  readonly checkpoints: CheckpointStore;
  readonly recorder: RunRecorder;
  /** Buckets of routed lanes (buckets.ts), the same for every task, so lanes survive a resume. */
  readonly buckets: number;
  /** What incremental tasks read in this run, by task (task-increment.ts). */
  readonly increments: ReadonlyMap<string, TaskIncrement>;
  /** What incremental tasks read to the end; recorded when the run completes. */
  readonly advances = new Map<string, TaskAdvance>();
  /** The `file` and `files` sources' inputs, as listed when the run began. */
  readonly inputs: SourceInputs;
  /** The token of the lease the run holds: its batches commit only while it holds it. */
  readonly lease: string;
  /** Whether the run continues an interrupted one: only then can batches have committed before it began. */
  readonly resuming: boolean;
  private stopReason: GraphloadError | undefined;

  constructor(parts: Pick<RunContext, "options" | "writer" | "deadLetters" | "checkpoints" | "recorder" | "buckets" | "inputs" | "increments" | "lease" | "resuming">) {
    this.options = parts.options;
    this.writer = parts.writer;
    this.deadLetters = parts.deadLetters;
    this.checkpoints = parts.checkpoints;
    this.recorder = parts.recorder;
    this.buckets = parts.buckets;
    this.inputs = parts.inputs;
    this.increments = parts.increments;
    this.lease = parts.lease;
    this.resuming = parts.resuming;
  }

  /** Why the run must stop reading (a failed batch, too many rejects, the caller's signal), once set. */
  get failure(): GraphloadError | undefined {
    return this.stopReason;
  }

  /** Records the first reason to stop; later ones are consequences of it. */
  fail(error: unknown, context: Record<string, unknown> = {}): void {
    this.stopReason ??= asGraphloadError(error, context);
  }

  emit(event: RunEvent): void {
    this.recorder.record(event);
    this.options.onEvent?.(event);
  }
}

function asGraphloadError(error: unknown, context: Record<string, unknown> = {}): GraphloadError {
  if (error instanceof GraphloadError) return error;
  const info = errorInfo(error);
  return new GraphloadError(info.code, info.message, context, { cause: error });
}
