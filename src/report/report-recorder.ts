import type { FieldMapping, Pipeline, Task } from "../model/pipeline.js";
import type { RunEvent } from "../run/run-events.js";
import { rowsPerSecond, type RunSummary } from "../run/run-summary.js";
import { LatencyHistogram } from "./latency-histogram.js";
import { redactSecrets } from "../mask-secrets.js";
import { recordText, truncate } from "./redact.js";
import type { Entry, RejectedExample, RejectedGroup, ReportData, ReportStage, ReportTask, TaskSeries } from "./report-data.js";

export interface ReportRecorderOptions {
  /** Milliseconds on a monotonic clock; `performance.now` unless a test steps time itself. */
  readonly now?: () => number;
  /** Time buckets per run at most; past it, buckets double in width. */
  readonly maxBuckets?: number;
  /** Rejected rows kept as examples per code. */
  readonly examplesPerCode?: number;
  /** Codes of rejected rows kept apart; rows of further codes are only counted. */
  readonly maxCodes?: number;
}

/** What only the caller knows, added to the recording when the page is drawn. */
export interface ReportContext {
  readonly summary: RunSummary;
  /** Describes each task's target and settings when given. */
  readonly pipeline?: Pipeline;
  /** `--batch-size`, which overrides every task's. */
  readonly batchSize?: number | "auto";
  readonly settings?: readonly Entry[];
  readonly versions?: readonly Entry[];
}

const DEFAULTS = { maxBuckets: 512, examplesPerCode: 3, maxCodes: 50 };
const MAX_RETRY_CODES = 20;
const MESSAGE_CHARS = 1000;

/** What happened to one task within one time bucket. */
interface Bucket {
  written: number;
  read: number;
  batches: number;
  rejected: number;
  retries: number;
  deadlocks: number;
  latency: LatencyHistogram | undefined;
}

const emptyBucket = (): Bucket => ({ written: 0, read: 0, batches: 0, rejected: 0, retries: 0, deadlocks: 0, latency: undefined });

function mergeInto(into: Bucket, from: Bucket): void {
  into.written += from.written;
  into.read += from.read;
  into.batches += from.batches;
  into.rejected += from.rejected;
  into.retries += from.retries;
  into.deadlocks += from.deadlocks;
  if (from.latency) into.latency = into.latency ? into.latency.merge(from.latency) : from.latency;
}

interface Track {
  readonly stage: string;
  readonly task: string;
  readonly source: string;
  readonly startMs: number;
  endMs?: number;
  /** Run-wide index of `buckets[0]`. */
  first: number;
  buckets: Bucket[];
  readonly retryCodes: Map<string, { count: number; message: string }>;
}

interface MutableGroup {
  count: number;
  unmatched: number;
  readonly tasks: Map<string, number>;
  readonly examples: RejectedExample[];
}

/**
 * Listens to a run's events (RunOptions.onEvent) and keeps what the HTML report plots: per
 * task, rows, batches, latencies, retries and rejections per time bucket, plus a few
 * rejected rows per code. Constant work per event (bucket widening aside, which halves
 * the buckets and so costs amortised constant time), and memory bounded by tasks ×
 * `maxBuckets`, however long the run. Make it just before the run starts: its times count
 * from then.
 */
export class ReportRecorder {
  private readonly now: () => number;
  private readonly maxBuckets: number;
  private readonly examplesPerCode: number;
  private readonly maxCodes: number;
  /** Time 0 of the report: when the recorder was made, just before the run (its schema step included). */
  private readonly origin: number;
  private bucketMs = 1000;
  private endMs: number | undefined;
  private readonly stages = new Map<string, { kind: "tasks" | "statements"; startMs: number; endMs?: number }>();
  private readonly tracks = new Map<string, Map<string, Track>>();
  private readonly allTracks: Track[] = [];
  private readonly rejected = new Map<string, MutableGroup>();
  private rejectedOtherCodes = 0;

  constructor(options: ReportRecorderOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.maxBuckets = Math.max(2, options.maxBuckets ?? DEFAULTS.maxBuckets);
    this.examplesPerCode = options.examplesPerCode ?? DEFAULTS.examplesPerCode;
    this.maxCodes = options.maxCodes ?? DEFAULTS.maxCodes;
    this.origin = this.now();
  }

  /** Pass as (or call from) the run's `onEvent`. */
  readonly record = (event: RunEvent): void => {
    const t = this.now() - this.origin;
    switch (event.type) {
      case "stage-start":
        this.stages.set(event.stage, { kind: event.kind, startMs: t });
        return;
      case "stage-end": {
        const stage = this.stages.get(event.stage);
        if (stage) stage.endMs = t;
        return;
      }
      case "task-start": {
        const track: Track = { stage: event.stage, task: event.task, source: event.source, startMs: t, first: this.bucketAt(t), buckets: [], retryCodes: new Map() };
        let tasks = this.tracks.get(event.stage);
        if (!tasks) this.tracks.set(event.stage, (tasks = new Map()));
        tasks.set(event.task, track);
        this.allTracks.push(track);
        return;
      }
      case "records": {
        const bucket = this.bucketOf(event.stage, event.task, t);
        if (bucket) bucket.read += event.read;
        return;
      }
      case "batch": {
        const bucket = this.bucketOf(event.stage, event.task, t);
        if (!bucket) return;
        bucket.written += event.written;
        bucket.batches++;
        (bucket.latency ??= new LatencyHistogram()).add(event.latencyMs);
        return;
      }
      case "retry": {
        const bucket = this.bucketOf(event.stage, event.task, t);
        if (!bucket) return;
        bucket.retries++;
        if (event.deadlock) bucket.deadlocks++;
        this.countRetry(this.track(event.stage, event.task)!, event.error);
        return;
      }
      case "rejected": {
        const bucket = this.bucketOf(event.stage, event.task, t);
        if (bucket) bucket.rejected++;
        this.keepRejected(event);
        return;
      }
      case "task-end": {
        const track = this.track(event.stage, event.task);
        if (track) track.endMs = t;
        return;
      }
      case "run-end":
        this.endMs = t;
        return;
      default:
        return;
    }
  };

  /** The recording with what the caller adds: the page's data. */
  data(context: ReportContext): ReportData {
    const { summary } = context;
    const json = summary.toJSON();
    const durationMs = Math.max(this.endMs ?? 0, summary.durationMs);
    const stages: ReportStage[] = summary.stages.map((stage) => {
      const timing = this.stages.get(stage.stage);
      return {
        stage: stage.stage,
        kind: stage.kind,
        startMs: timing?.startMs ?? 0,
        ...(timing?.endMs !== undefined ? { endMs: timing.endMs } : {}),
        counters: stage.counters,
        tasks: stage.tasks.map((task) => this.taskData(stage.stage, task, context)),
      };
    });
    return {
      pipeline: summary.pipeline,
      status: summary.status,
      exitCode: summary.exitCode,
      ...(summary.error ? { error: { code: summary.error.code, message: redactSecrets(summary.error.message) } } : {}),
      startedAt: json.startedAt,
      durationMs,
      bucketMs: this.bucketMs,
      totals: json.totals,
      schema: summary.schema,
      stages,
      rejected: [...this.rejected.entries()]
        .map(([code, group]): RejectedGroup => ({
          code,
          count: group.count,
          unmatched: group.unmatched,
          tasks: [...group.tasks.entries()].map(([task, count]) => ({ task, count })),
          examples: group.examples,
        }))
        .sort((a, b) => b.count - a.count),
      rejectedOtherCodes: this.rejectedOtherCodes,
      ...(summary.deadLetterFile ? { deadLetterFile: summary.deadLetterFile } : {}),
      settings: context.settings ?? [],
      versions: context.versions ?? [],
    };
  }

  private taskData(stage: string, summary: RunSummary["stages"][number]["tasks"][number], context: ReportContext): ReportTask {
    const track = this.track(stage, summary.task);
    const definition = context.pipeline?.stages.find((candidate) => candidate.name === stage && candidate.kind === "tasks");
    const task = definition?.kind === "tasks" ? definition.tasks.find((candidate) => candidate.name === summary.task) : undefined;
    const buckets = track?.buckets ?? [];
    const whole = new LatencyHistogram();
    for (const bucket of buckets) if (bucket.latency) whole.merge(bucket.latency);
    const ms = (value: number | undefined): number | null => (value === undefined ? null : value);
    const series: TaskSeries = {
      first: track?.first ?? 0,
      written: buckets.map((bucket) => bucket.written),
      read: buckets.map((bucket) => bucket.read),
      batches: buckets.map((bucket) => bucket.batches),
      rejected: buckets.map((bucket) => bucket.rejected),
      retries: buckets.map((bucket) => bucket.retries),
      deadlocks: buckets.map((bucket) => bucket.deadlocks),
      p50: buckets.map((bucket) => ms(bucket.latency?.percentile(0.5))),
      p90: buckets.map((bucket) => ms(bucket.latency?.percentile(0.9))),
      p99: buckets.map((bucket) => ms(bucket.latency?.percentile(0.99))),
      max: buckets.map((bucket) => (bucket.latency ? bucket.latency.max : null)),
    };
    return {
      stage,
      task: summary.task,
      source: redactSecrets(summary.source),
      ...(task ? { target: describeTarget(task), settings: describeSettings(task, context.batchSize) } : {}),
      startMs: track?.startMs ?? 0,
      ...(track?.endMs !== undefined ? { endMs: track.endMs } : {}),
      summary: { ...summary, source: redactSecrets(summary.source), rowsPerSecond: rowsPerSecond(summary.rowsWritten, summary.durationMs) },
      ...(whole.count > 0
        ? { latency: { batches: whole.count, p50: whole.percentile(0.5)!, p90: whole.percentile(0.9)!, p99: whole.percentile(0.99)!, max: whole.max } }
        : {}),
      retryCodes: [...(track?.retryCodes.entries() ?? [])].map(([code, { count, message }]) => ({ code, count, message })).sort((a, b) => b.count - a.count),
      series,
    };
  }

  private track(stage: string, task: string): Track | undefined {
    return this.tracks.get(stage)?.get(task);
  }

  /** The bucket of `task` at time `t`, created (with any before it) when new. */
  private bucketOf(stage: string, task: string, t: number): Bucket | undefined {
    const track = this.track(stage, task);
    if (!track) return undefined;
    const index = this.bucketAt(t) - track.first;
    const { buckets } = track;
    while (buckets.length <= index) buckets.push(emptyBucket());
    return buckets[index];
  }

  /** The run-wide bucket index of time `t`, widening buckets until it is below `maxBuckets`. */
  private bucketAt(t: number): number {
    let index = Math.floor(t / this.bucketMs);
    while (index >= this.maxBuckets) {
      this.widen();
      index = Math.floor(t / this.bucketMs);
    }
    return index;
  }

  /** Doubles the bucket width, merging each pair of buckets of every task. */
  private widen(): void {
    this.bucketMs *= 2;
    for (const track of this.allTracks) {
      const first = Math.floor(track.first / 2);
      const merged: Bucket[] = [];
      track.buckets.forEach((bucket, offset) => {
        const index = Math.floor((track.first + offset) / 2) - first;
        if (merged[index]) mergeInto(merged[index], bucket);
        else merged[index] = bucket;
      });
      track.first = first;
      track.buckets = merged;
    }
  }

  private countRetry(track: Track, error: { readonly code: string; readonly message: string }): void {
    const known = track.retryCodes.get(error.code);
    if (known) known.count++;
    else if (track.retryCodes.size < MAX_RETRY_CODES) track.retryCodes.set(error.code, { count: 1, message: truncate(redactSecrets(error.message), MESSAGE_CHARS) });
  }

  private keepRejected(event: Extract<RunEvent, { type: "rejected" }>): void {
    let group = this.rejected.get(event.code);
    if (!group) {
      if (this.rejected.size >= this.maxCodes) {
        this.rejectedOtherCodes++;
        return;
      }
      group = { count: 0, unmatched: 0, tasks: new Map(), examples: [] };
      this.rejected.set(event.code, group);
    }
    group.count++;
    if (event.unmatched) group.unmatched++;
    group.tasks.set(event.task, (group.tasks.get(event.task) ?? 0) + 1);
    if (group.examples.length < this.examplesPerCode) {
      group.examples.push({
        task: event.task,
        source: redactSecrets(event.file ?? this.track(event.stage, event.task)?.source ?? ""),
        line: event.line,
        message: truncate(redactSecrets(event.message ?? ""), MESSAGE_CHARS),
        row: recordText(event.row),
      });
    }
  }
}

const names = (fields: readonly FieldMapping[]): string => fields.map((field) => field.property).join(", ");

/** A task's target in Cypher-like shorthand, e.g. `(:Person {id})-[:KNOWS]->(:Person {id})`. */
export function describeTarget(task: Task): string {
  const { target } = task;
  switch (target.kind) {
    case "node": {
      const labels = [...target.labels.map((label) => `:${label}`), ...target.labelColumns.map((column) => `:‹${column.column}›`)].join("");
      return `(${labels} {${names(target.key)}})`;
    }
    case "relationship": {
      const type = typeof target.type === "string" ? target.type : `‹${target.type.column}›`;
      return `(:${target.from.label} {${names(target.from.key)}})-[:${type}]->(:${target.to.label} {${names(target.to.key)}})`;
    }
    case "cypher":
      return `Cypher: ${truncate(target.cypher.trim().split("\n")[0], 120)}`;
  }
}

function describeSettings(task: Task, batchSize: number | "auto" | undefined): string {
  const { settings } = task;
  const size = batchSize ?? settings.batchSize;
  // A cypher task's statement decides between MERGE and CREATE itself.
  const mode = task.target.kind === "cypher" ? [] : [settings.mode];
  return [...mode, task.strategy, `batch size ${size}`, `concurrency ${settings.concurrency}`].join(" · ");
}
