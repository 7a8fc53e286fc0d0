import { resolve } from "node:path";
import type { Driver } from "neo4j-driver";
import { GraphloadError } from "../errors.js";
import type { Pipeline } from "../model/pipeline.js";
import type { BatchSink } from "./batch-sink.js";
import type { CheckpointStore } from "./checkpoint-store.js";
import type { MetricsPushOptions } from "./metrics-push.js";
import { Neo4jCheckpointStore } from "./neo4j-checkpoint-store.js";
import { Neo4jSink } from "./neo4j-sink.js";
import type { RetrySettings } from "./retry-transient.js";
import type { RunEventListener } from "./run-events.js";
import { DEFAULT_LEASE_TIMEOUT_MS, intervalTimer, MIN_LEASE_TIMEOUT_MS, thisProcess, type LeaseSettings, type LeaseTimer } from "./run-lease.js";

export interface RunOptions {
  /** The one driver every session of the run is opened on; its pool should hold `concurrency` connections. */
  readonly driver?: Driver;
  readonly database?: string;
  /** Aborting stops reading and retrying; batches in flight finish, and the summary says `stopped`. */
  readonly signal?: AbortSignal;
  readonly onEvent?: RunEventListener;
  /** Run only these stages (by name), in pipeline order. */
  readonly stages?: readonly string[];
  /** Overrides every task's batch size. */
  readonly batchSize?: number | "auto";
  /** Overrides the run-wide limit of transactions in flight. */
  readonly concurrency?: number;
  /**
   * Dead-letter file; default `<pipeline name>.<yyyyMMddTHHmmss>.rejected.jsonl` (the run's
   * start, UTC) in the working directory, and a resumed run's the interrupted run's file.
   */
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
  /** Where progress is kept; default the target database (Neo4jCheckpointStore). */
  readonly checkpoints?: CheckpointStore;
  /**
   * Push the run's figures to this Prometheus Pushgateway (job = the pipeline name), every
   * 10 s and at the end; a URL, or the URL with the interval and timers.
   */
  readonly metricsPush?: string | MetricsPushOptions;
  /**
   * A lease on the pipeline name not renewed for this long (by the server's clock) is
   * taken over by a new run; default 60 s, at least 20 s (runs renew every 10 s).
   */
  readonly leaseTimeoutMs?: number;
  /** Timers for retries and for renewing the lease, injectable so tests control time. */
  readonly timers?: Pick<RetrySettings, "sleep" | "now" | "backoff"> & { readonly lease?: LeaseTimer };
}

export const DEFAULT_RETRY_BUDGET_MS = 60_000;

/** Every option of a run decided: what the engine reads, and nothing else. */
export interface ResolvedRunOptions {
  readonly sink: BatchSink;
  readonly checkpoints: CheckpointStore;
  readonly signal?: AbortSignal;
  readonly onEvent?: RunEventListener;
  readonly stages?: readonly string[];
  readonly batchSize?: number | "auto";
  /** Transactions in flight at once, whole run. */
  readonly concurrency: number;
  /** The dead-letter file asked for, if any (beginRun decides the one used). */
  readonly deadLetterFile?: string;
  /** This run's own default dead-letter file, named after its start. */
  readonly defaultDeadLetterFile: string;
  readonly stdin?: NodeJS.ReadableStream;
  readonly maxErrors?: number;
  readonly retry: RetrySettings;
  readonly resume: boolean;
  readonly fresh: boolean;
  readonly keepMarkers: boolean;
  readonly bookmarks: readonly string[];
  readonly metricsPush?: MetricsPushOptions;
  readonly lease: LeaseSettings;
}

/** `<name>.<yyyyMMddTHHmmss>.rejected.jsonl` (UTC), so each run of a schedule keeps its own rejects. */
export function defaultDeadLetterFile(pipelineName: string, startedAt: Date): string {
  const stamp = startedAt.toISOString().slice(0, 19).replace(/[-:]/g, "");
  return resolve(`${pipelineName}.${stamp}.rejected.jsonl`);
}

/**
 * Where the options of a run get their defaults, for the library and the CLI alike. Throws
 * `GL_INVALID_OPTIONS` for options that contradict each other.
 */
export function resolveRunOptions(pipeline: Pipeline, options: RunOptions): ResolvedRunOptions {
  if (options.resume && options.fresh) {
    throw new GraphloadError("GL_INVALID_OPTIONS", "--resume and --fresh exclude each other: --resume continues an interrupted run, --fresh forgets it");
  }
  const database = options.database ?? pipeline.neo4j.database;
  const driver = (): Driver => {
    if (options.driver) return options.driver;
    throw new GraphloadError("GL_INVALID_OPTIONS", "runPipeline needs a driver, unless both a sink and a checkpoint store are given");
  };
  const { lease: leaseTimer = intervalTimer, ...retryTimers } = options.timers ?? {};
  const retry: RetrySettings = { retryBudgetMs: options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS, signal: options.signal, ...retryTimers };
  return {
    sink: options.sink ?? new Neo4jSink(driver(), database),
    checkpoints: options.checkpoints ?? new Neo4jCheckpointStore(driver(), database, pipeline.name, retry),
    signal: options.signal,
    onEvent: options.onEvent,
    stages: options.stages,
    batchSize: options.batchSize,
    concurrency: options.concurrency ?? pipeline.defaults.concurrency,
    ...(options.deadLetterFile === undefined ? {} : { deadLetterFile: resolve(options.deadLetterFile) }),
    defaultDeadLetterFile: defaultDeadLetterFile(pipeline.name, new Date()),
    stdin: options.stdin,
    maxErrors: options.maxErrors,
    retry,
    resume: options.resume ?? false,
    fresh: options.fresh ?? false,
    keepMarkers: options.keepMarkers ?? false,
    bookmarks: options.bookmarks ?? [],
    ...(options.metricsPush === undefined ? {} : { metricsPush: metricsPushOptions(options.metricsPush) }),
    lease: { timeoutMs: leaseTimeout(options.leaseTimeoutMs), timer: leaseTimer, process: thisProcess() },
  };
}

function metricsPushOptions(option: string | MetricsPushOptions): MetricsPushOptions {
  const options = typeof option === "string" ? { url: option } : option;
  let protocol: string | undefined;
  try {
    protocol = new URL(options.url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new GraphloadError("GL_INVALID_OPTIONS", `--metrics-push needs the Pushgateway's http:// or https:// URL, such as http://pushgateway:9091`);
  }
  return options;
}

export function leaseTimeout(timeoutMs = DEFAULT_LEASE_TIMEOUT_MS): number {
  if (!(timeoutMs >= MIN_LEASE_TIMEOUT_MS)) {
    throw new GraphloadError(
      "GL_INVALID_OPTIONS",
      `--lease-timeout must be at least ${MIN_LEASE_TIMEOUT_MS / 1000} s: a run renews its lease every 10 s, and a shorter timeout would take over a live one`,
    );
  }
  return timeoutMs;
}
