import type { BookmarkManager } from "neo4j-driver";
import { errorInfo, GraphloadError } from "../errors.js";
import type { TaskPlan } from "../plan/build-plan.js";
import { parameterRows } from "../plan/batch-parameters.js";
import { FILTERED, type Row } from "../plan/row-mapper.js";
import type { Incremental, SourceRow } from "../model/pipeline.js";
import type { ReadFrom, RecordSource, SourceItem, SourceRecord } from "../source/source-record.js";
import { AdaptiveBatchSize } from "./adaptive-batch-size.js";
import { batchMarker } from "./batch-marker.js";
import type { BatchScheduler, GroupState } from "./batch-scheduler.js";
import { Batcher, type Batch } from "./batcher.js";
import type { DeadLetter } from "./dead-letter.js";
import { DEADLOCK } from "./neo4j-codes.js";
import type { RunContext } from "./run-context.js";
import { watermarkSettings } from "./task-increment.js";
import { compileRowKeys, endpointMessage, taskRouting, type RowKeys } from "./task-routing.js";
import { sealBatch, type SealedBatch } from "./sealed-batch.js";
import { sealRows } from "./sealed-rows.js";
import { higherWatermark } from "./watermark-order.js";

/** A rejected row before it is a dead letter: `file` names the file of a source over several. */
type Rejection = Omit<DeadLetter, "task" | "source"> & { readonly file: string | undefined };

/** How many records a task counts before it reports them, when no batch goes in between. */
const REPORT_EVERY = 4096;

/**
 * Rows an open batch of a routed task holds as objects before it seals them (sealed-rows.ts):
 * few enough that a lane filling slowly among many keeps them for less than a young-generation
 * collection.
 */
const SEAL_EVERY = 512;

/**
 * One task of a running stage: takes its source's records one at a time, maps them to
 * rows, cuts the rows into batches (batcher.ts), hands each batch to the stage's scheduler
 * and writes it (batch-writer.ts), and reports every outcome as an event.
 */
export class TaskRun {
  readonly plan: TaskPlan;
  private readonly context: RunContext;
  private readonly stage: string;
  private readonly scheduler: BatchScheduler;
  private readonly bookmarks: BookmarkManager;
  private readonly adaptive: AdaptiveBatchSize | undefined;
  private readonly ready: Batch[] = [];
  /** Rows of the chunk being taken that are rejected before any write. */
  private readonly rejects: Rejection[] = [];
  private readonly rowKeys: RowKeys;
  /** The keys of the row being added, reused from row to row. */
  private readonly keys: number[] = [];
  private batcher!: Batcher;
  private group!: GroupState;
  private source!: RecordSource;
  private started = 0;
  private counts = { read: 0, filtered: 0, skipped: 0 };
  private readonly hasRowFunctions: boolean;
  private incremental: Incremental | undefined;
  /** Incremental sources: the highest value of the column read, by this run and the one it resumes. */
  private highest: unknown;

  constructor(context: RunContext, stage: string, plan: TaskPlan, scheduler: BatchScheduler, bookmarks: BookmarkManager) {
    this.context = context;
    this.stage = stage;
    this.plan = plan;
    this.scheduler = scheduler;
    this.bookmarks = bookmarks;
    this.adaptive = this.configuredBatchSize === "auto" ? new AdaptiveBatchSize() : undefined;
    this.rowKeys = compileRowKeys(plan);
    this.hasRowFunctions = plan.task.filter !== undefined || plan.task.transform !== undefined;
  }

  private get keyColumn(): string | undefined {
    return this.source.keyset?.column;
  }

  private get name(): string {
    return this.plan.task.name;
  }

  private get configuredBatchSize(): number | "auto" {
    return this.context.options.batchSize ?? this.plan.task.settings.batchSize;
  }

  /** Sets the task up to read `source`; for a keyset or incremental source, where reading should start. */
  async open(source: RecordSource): Promise<ReadFrom> {
    this.source = source;
    const { task } = this.plan;
    // A run that does not resume has cleared its pipeline's markers, or found none: no question
    // for the server, which on a fresh start spends up to a second planning it.
    const committed = this.context.resuming ? await this.context.checkpoints.committedRanges(task.name) : [];
    const incremental = watermarkSettings(task.source);
    this.incremental = incremental;
    const higher = incremental && ((value: unknown, highest: unknown): unknown => higherWatermark(value, highest, incremental.column));
    const watermark = this.context.increments.get(task.name)?.increment.watermark;
    // Records a keyset resume does not read again count through their markers.
    if (higher) for (const range of committed) if (range.watermark !== undefined) this.highest = higher(range.watermark, this.highest);
    const routing = taskRouting(this.plan, this.context.buckets, source.keyset !== undefined);
    const concurrency = task.strategy === "serial" ? 1 : task.settings.concurrency;
    const fixed = this.configuredBatchSize as number;
    const batchSize = (): number => this.adaptive?.current ?? fixed;
    this.batcher = new Batcher({
      routing,
      batchSize,
      committed,
      higher,
      // Rows waiting in lanes and batches waiting for the scheduler are bounded, so memory follows
      // batch size × concurrency, not the input.
      laneBudget: () => (routing.kind === "routed" ? concurrency * batchSize() : Infinity),
      // A lane among many fills slowly; a batch in source order fills at the pace rows come.
      ...(routing.kind === "routed" ? { seal: { every: SEAL_EVERY, rows: (rows, records, seqs) => sealRows(this.plan.shape, rows, records, seqs) } } : {}),
    });
    this.group = this.scheduler.group({ concurrency, maxQueued: routing.kind === "routed" ? concurrency : 1 });
    const resumed = source.keyset ? this.batcher.resumeKeyset() : undefined;
    this.started = performance.now();
    this.context.emit({
      type: "task-start",
      stage: this.stage,
      task: task.name,
      source: source.name,
      totalBytes: source.totalBytes,
      batchesSkipped: committed.length,
      rowsBeforeResume: resumed?.records ?? 0,
    });
    return { ...(resumed ? { after: resumed.after } : {}), ...(incremental ? { watermark } : {}) };
  }

  /** Takes the next chunk of the source's records; waits only when batches it completed wait for the scheduler. */
  async accept(items: readonly SourceItem[]): Promise<void> {
    for (let i = 0; i < items.length; i++) this.take(items[i]);
    this.counts.read += items.length;
    if (this.counts.read >= REPORT_EVERY) this.reportCounts();
    await this.submitReady();
    if (this.rejects.length > 0) await this.writeRejects();
  }

  /** One record: skipped, rejected, filtered, or added to a batch; no I/O. */
  private take(item: SourceItem): void {
    const counts = this.counts;
    const keyColumn = this.keyColumn;
    const mark = this.incremental && item.kind === "record" ? this.watermarkOf(item.values, this.incremental.column) : undefined;
    if (this.batcher.ordinal && this.batcher.countRecord(keyColumn !== undefined && item.kind === "record" ? item.values[keyColumn] : undefined, this.ready, mark)) {
      counts.skipped++;
      return;
    }
    if (item.kind === "malformed") {
      this.rejects.push({ file: item.file, line: item.line, row: item.raw, code: item.code, message: item.message });
      return;
    }
    let values = item.values;
    if (this.hasRowFunctions) {
      const prepared = this.applyRowFunctions(item);
      if (prepared === undefined) return;
      values = prepared;
    }
    let row;
    let variant;
    try {
      row = this.plan.mapRow(values);
      if (row === FILTERED) {
        counts.filtered++;
        return;
      }
      variant = this.plan.variantOf?.(values) ?? "";
    } catch (error) {
      if (!(error instanceof GraphloadError)) throw error;
      this.rejects.push({ file: item.file, line: item.line, row: item.values, code: error.code, message: error.message });
      return;
    }
    const keys = this.keys;
    keys.length = 0;
    this.rowKeys(row, variant, keys);
    if (!this.batcher.add(row, item, variant, keys, this.ready, mark)) counts.skipped++;
  }

  /** What the task read to the end, for the run's completion to record: the highest value read, the files loaded. */
  private advance(): void {
    const files = this.context.increments.get(this.name)?.increment.files;
    if (files?.length) this.context.advances.set(this.name, { files });
    else if (this.incremental && this.highest !== undefined) this.context.advances.set(this.name, { watermark: this.highest });
  }

  /** A record's incremental value, raising the task's highest; undefined for a null. */
  private watermarkOf(values: Readonly<Record<string, unknown>>, column: string): unknown {
    const value = values[column];
    if (value === undefined && !(column in values)) {
      throw new GraphloadError("GL_WATERMARK_COLUMN", `the rows of task "${this.name}" have no column "${column}", its incremental column: the query must return it`);
    }
    if (value === null || value === undefined) return undefined;
    this.highest = higherWatermark(value, this.highest, column);
    return value;
  }

  /**
   * A task given in code: its `filter`, then its `transform`. Undefined when the record is
   * filtered (counted) or rejected (set aside with the function's error).
   */
  private applyRowFunctions(item: SourceRecord): SourceRow | undefined {
    const { filter, transform } = this.plan.task;
    let step = "filter";
    try {
      if (filter) {
        const keep = filter(item.values);
        if (isThenable(keep)) throw new Error("returned a promise; filter and transform are synchronous");
        if (!keep) {
          this.counts.filtered++;
          return undefined;
        }
      }
      if (!transform) return item.values;
      step = "transform";
      const values = transform(item.values);
      if (values === null || typeof values !== "object" || Array.isArray(values)) throw new Error(`returned ${Array.isArray(values) ? "an array" : String(values)}, not an object`);
      if (isThenable(values)) throw new Error("returned a promise; filter and transform are synchronous");
      return values as SourceRow;
    } catch (error) {
      this.rejects.push({ file: item.file, line: item.line, row: item.values, code: "GL_ROW_FUNCTION", message: `${step}: ${error instanceof Error ? error.message : String(error)}` });
      return undefined;
    }
  }

  private async writeRejects(): Promise<void> {
    for (const letter of this.rejects.splice(0)) await this.reject(letter);
  }

  /** The source is done, or the run is stopping: sends what is complete and waits for it. */
  async finish(): Promise<void> {
    try {
      if (!this.context.failure) {
        this.batcher.finish(this.ready);
        await this.submitReady();
      }
    } finally {
      await this.scheduler.drain(this.group);
      // Kept only when the whole run completes.
      if (!this.context.failure) this.advance();
      this.reportCounts();
      const { name } = this;
      this.context.emit({ type: "task-end", stage: this.stage, task: name, bytesRead: this.source.bytesRead(), durationMs: performance.now() - this.started, summary: this.context.recorder.task(this.stage, name) });
    }
  }

  private async submitReady(): Promise<void> {
    if (this.ready.length === 0) return;
    this.reportCounts();
    const sealed = this.ready.splice(0).map((batch) => sealBatch(batch, this.plan.shape));
    for (const batch of sealed) await this.scheduler.submit(this.group, batch.keys, () => this.write(batch));
  }

  private async write(batch: SealedBatch): Promise<void> {
    const { context, name, stage } = this;
    const began = performance.now();
    try {
      const keyColumn = this.keyColumn;
      const outcome = await context.writer.write({
        cypher: this.plan.statement(batch.variant),
        parameters: batch.parameters,
        shape: this.plan.shape,
        size: batch.size,
        bookmarks: this.bookmarks,
        marker: (start, end) => batchMarker(context.checkpoints.run, context.lease, name, batch, keyColumn, start, end),
        onRetry: (attempt, error) => {
          const info = errorInfo(error);
          context.emit({ type: "retry", stage, task: name, attempt, deadlock: info.code === DEADLOCK, error: info });
        },
      });
      if (outcome.tooLarge) this.adaptive?.shrink(batch.size);
      else if (outcome.transactionMs !== undefined && outcome.retries === 0) this.adaptive?.observe(batch.size, outcome.transactionMs);
      const written = batch.size - outcome.unmatched.length - outcome.rejected.length;
      context.emit({ type: "batch", stage, task: name, rows: batch.size, written, counters: outcome.counters, transactions: outcome.transactions, latencyMs: performance.now() - began });
      const rows = outcome.unmatched.length > 0 ? (parameterRows(this.plan.shape, batch.parameters) as Row[]) : [];
      for (const index of outcome.unmatched) {
        const record = batch.records.at(index)!;
        await this.reject({ file: record.file, line: record.line, row: record.values, code: "GL_ENDPOINT_NOT_FOUND", message: endpointMessage(this.plan, rows[index]) }, true);
      }
      for (const { index, code, message } of outcome.rejected) {
        const record = batch.records.at(index)!;
        await this.reject({ file: record.file, line: record.line, row: record.values, code, message });
      }
    } catch (error) {
      const first = batch.records.at(0);
      context.fail(error, { task: name, ...(first?.file ? { file: first.file } : {}), line: first?.line });
    } finally {
      this.progress();
    }
  }

  private async reject({ file, ...letter }: Rejection, unmatched = false): Promise<void> {
    const { context, name } = this;
    context.emit({ type: "rejected", stage: this.stage, task: name, ...(file ? { file } : {}), line: letter.line, code: letter.code, message: letter.message, row: letter.row, unmatched });
    const { maxErrors } = context.options;
    if (maxErrors !== undefined && context.recorder.rowsRejected > maxErrors) {
      context.fail(new GraphloadError("GL_TOO_MANY_ERRORS", `more than ${maxErrors} rows were rejected (--max-errors); see ${context.deadLetters.path}`));
    }
    await context.deadLetters.write({ task: name, source: file ?? this.source.name, ...letter });
  }

  private reportCounts(): void {
    const { read, filtered, skipped } = this.counts;
    if (read + filtered + skipped === 0) return;
    this.counts = { read: 0, filtered: 0, skipped: 0 };
    this.context.emit({ type: "records", stage: this.stage, task: this.name, read, filtered, skipped });
  }

  private progress(): void {
    const { name } = this;
    this.context.emit({
      type: "task-progress",
      stage: this.stage,
      task: name,
      bytesRead: this.source.bytesRead(),
      durationMs: performance.now() - this.started,
      totalBytes: this.source.totalBytes,
      progress: this.context.recorder.task(this.stage, name),
    });
  }
}

function isThenable(value: unknown): boolean {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}
