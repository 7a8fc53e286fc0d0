import type { Row } from "../plan/row-mapper.js";
import type { SourceRecord } from "../source/source-record.js";
import type { CommittedRange } from "./checkpoint-store.js";
import { bucketOf, laneOf } from "./buckets.js";
import type { SealedRows } from "./sealed-rows.js";

/**
 * Rows on their way to one transaction, all of one lane and one statement variant. A batch
 * covers `firstSeq` to `lastSeq` of its lane's numbering, and its marker says so, which is
 * what a resumed run skips.
 */
export interface Batch {
  readonly lane: string;
  readonly variant: string;
  /** The rows not sealed yet, with their records and lane numbers. */
  rows: Row[];
  records: SourceRecord[];
  seqs: number[];
  /** The rows sealed already (BatcherSettings.seal), in order, before `rows`. */
  readonly parts: SealedRows[];
  /** How many rows, sealed or not. */
  size: number;
  readonly firstSeq: number;
  lastSeq: number;
  /** Keyset sources: the key of the record at `lastSeq`. */
  lastKey?: unknown;
  /** Incremental sources: the highest value of the incremental column among the batch's records. */
  watermark?: unknown;
  /** Hashes of the keys its rows merge or lock (buckets.ts): no batch sharing one runs beside it. */
  readonly keys: Set<number>;
}

/**
 * How a task's rows are grouped:
 * - `ordinal`: one lane ("0") numbering every source record in order, rejected ones too,
 *   so a resumed run skips committed records before reading them into rows, and a keyset
 *   source can restart after the last committed key;
 * - `routed`: a lane per statement variant and bucket (or pair of buckets), numbering only
 *   the rows routed to it; rows with the same key always share a lane (`buckets` lanes by
 *   one key's hash, or one per pair of buckets for rows with two keys).
 */
export type Routing = { readonly kind: "ordinal" } | { readonly kind: "routed"; readonly buckets: number; readonly ordered: boolean };

export interface BatcherSettings {
  readonly routing: Routing;
  /** Rows per batch, asked again for each batch (an adaptive size changes). */
  readonly batchSize: () => number;
  /** Rows buffered across a routed task's lanes beyond which the fullest goes as it is. */
  readonly laneBudget: () => number;
  /** What an earlier run of this task committed. */
  readonly committed: readonly CommittedRange[];
  /** Incremental sources: the higher of a record's value and a batch's highest (watermark-order.ts). */
  readonly higher?: (value: unknown, highest: unknown) => unknown;
  /** Seals an open batch's rows every `every` rows (sealed-rows.ts): rows wait in a lane for long. */
  readonly seal?: { readonly every: number; readonly rows: (rows: Row[], records: SourceRecord[], seqs: number[]) => SealedRows };
}

interface Lane {
  readonly name: string;
  readonly variant: string;
  batch: Batch;
  seq: number;
  readonly committed: readonly CommittedRange[];
  nextCommitted: number;
}

const ORDINAL_LANE = "0";

/**
 * Cuts rows into batches: pure, synchronous, no I/O. Closed batches are pushed to the
 * `ready` array a call is given, in the order they must be submitted: with `ordered`
 * routing, a row joins its lane only after every other lane's open batch that touches one
 * of the row's keys has gone, so rows with the same key reach the scheduler in source order
 * whichever lanes they fall in.
 */
export class Batcher {
  private readonly settings: BatcherSettings;
  private readonly lanes = new Map<string, Lane>();
  /**
   * Ordered routing: for each key hash, the lane whose open batch touches it. One lane at
   * most: a row joins its lane only after every other open batch touching its keys has gone.
   */
  private readonly openKeys = new Map<number, Lane>();
  private buffered = 0;
  /** Routed and ordered: rows keep their order across lanes. */
  private readonly ordered: boolean;
  /** What an earlier run committed, by lane. */
  private readonly committed = new Map<string, CommittedRange[]>();

  constructor(settings: BatcherSettings) {
    this.settings = settings;
    this.ordered = settings.routing.kind === "routed" && settings.routing.ordered;
    for (const range of settings.committed) {
      const ranges = this.committed.get(range.lane);
      if (ranges) ranges.push(range);
      else this.committed.set(range.lane, [range]);
    }
  }

  get ordinal(): boolean {
    return this.settings.routing.kind === "ordinal";
  }

  /**
   * Ordinal routing, keyset sources: how far an unbroken run of committed ranges reaches
   * from the start, which a resumed run need not read again, and the key to read after.
   */
  resumeKeyset(): { readonly records: number; readonly after: unknown } | undefined {
    const lane = this.ordinalLane();
    let after: unknown;
    for (const range of lane.committed) {
      if (range.start !== lane.seq + 1 || range.key === undefined) break;
      lane.seq = range.end;
      after = range.key;
    }
    if (after === undefined) return undefined;
    lane.batch = newBatch(lane, lane.seq + 1);
    return { records: lane.seq, after };
  }

  /**
   * Ordinal routing: counts the next source record, before it is read into a row. True when
   * an earlier run committed it: the caller skips it. `watermark`: the record's incremental
   * value, which the batch covering it marks, whether or not the record becomes a row.
   */
  countRecord(key: unknown, ready: Batch[], watermark?: unknown): boolean {
    const lane = this.ordinalLane();
    if (this.skips(lane, ready)) return true;
    if (key !== undefined) lane.batch.lastKey = key;
    if (watermark !== undefined) this.raise(lane.batch, watermark);
    return false;
  }

  /**
   * Adds a row. Ordinal routing: the record was counted already. Routed: false when an
   * earlier run committed it (the caller counts it as skipped); `watermark` as for countRecord.
   */
  add(row: Row, record: SourceRecord, variant: string, keys: readonly number[], ready: Batch[], watermark?: unknown): boolean {
    const routing = this.settings.routing;
    let lane: Lane;
    if (routing.kind === "ordinal") {
      lane = this.ordinalLane();
    } else {
      lane = this.routedLane(variant, laneNumber(keys, routing.buckets));
      if (this.skips(lane, ready)) return false;
      if (watermark !== undefined) this.raise(lane.batch, watermark);
      if (this.ordered) this.closeOthersTouching(lane, keys, ready);
    }
    const batch = lane.batch;
    batch.rows.push(row);
    batch.records.push(record);
    batch.seqs.push(lane.seq);
    batch.size++;
    for (const key of keys) {
      batch.keys.add(key);
      if (this.ordered) this.openKeys.set(key, lane);
    }
    this.buffered++;
    if (batch.size >= this.settings.batchSize()) {
      this.close(lane, ready);
      return true;
    }
    const seal = this.settings.seal;
    if (seal && batch.rows.length >= seal.every) sealOpen(batch, seal.rows);
    if (routing.kind === "routed" && this.buffered > this.settings.laneBudget()) this.close(this.fullest(), ready);
    return true;
  }

  /** Closes every open batch: the source is done. */
  finish(ready: Batch[]): void {
    for (const lane of this.lanes.values()) this.close(lane, ready);
  }

  private raise(batch: Batch, watermark: unknown): void {
    batch.watermark = this.settings.higher!(watermark, batch.watermark);
  }

  private ordinalLaneOnce: Lane | undefined;

  private ordinalLane(): Lane {
    return (this.ordinalLaneOnce ??= this.lane("", ORDINAL_LANE));
  }

  /** Routed lanes by variant and number, found without building their names per row. */
  private readonly routed = new Map<string, Lane[]>();

  private routedLane(variant: string, number: number): Lane {
    let lanes = this.routed.get(variant);
    if (!lanes) this.routed.set(variant, (lanes = []));
    return (lanes[number] ??= this.lane(variant, `${variant}#${number}`));
  }

  private lane(variant: string, name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      const committed = this.committed.get(name) ?? [];
      lane = { name, variant, seq: 0, committed, nextCommitted: 0, batch: undefined as unknown as Batch };
      lane.batch = newBatch(lane, 1);
      this.lanes.set(name, lane);
    }
    return lane;
  }

  /** Numbers the lane's next item; true when an earlier run committed it. */
  private skips(lane: Lane, ready: Batch[]): boolean {
    const seq = ++lane.seq;
    while (lane.nextCommitted < lane.committed.length && lane.committed[lane.nextCommitted].end < seq) lane.nextCommitted++;
    const range = lane.committed[lane.nextCommitted];
    if (range && range.start <= seq) {
      // A batch being filled must end before this gap.
      this.close(lane, ready);
      return true;
    }
    lane.batch.lastSeq = seq;
    return false;
  }

  private closeOthersTouching(lane: Lane, keys: readonly number[], ready: Batch[]): void {
    for (const key of keys) {
      const other = this.openKeys.get(key);
      if (other !== undefined && other !== lane) this.close(other, ready);
    }
  }

  private fullest(): Lane {
    let fullest: Lane | undefined;
    for (const lane of this.lanes.values()) if (!fullest || lane.batch.size > fullest.batch.size) fullest = lane;
    return fullest!;
  }

  private close(lane: Lane, ready: Batch[]): void {
    const batch = lane.batch;
    lane.batch = newBatch(lane, lane.seq + 1);
    if (batch.size === 0) return;
    this.buffered -= batch.size;
    if (this.ordered) for (const key of batch.keys) this.openKeys.delete(key);
    ready.push(batch);
  }
}

function newBatch(lane: Lane, firstSeq: number): Batch {
  return { lane: lane.name, variant: lane.variant, rows: [], records: [], seqs: [], parts: [], size: 0, firstSeq, lastSeq: firstSeq - 1, keys: new Set() };
}

function sealOpen(batch: Batch, seal: (rows: Row[], records: SourceRecord[], seqs: number[]) => SealedRows): void {
  batch.parts.push(seal(batch.rows, batch.records, batch.seqs));
  batch.rows = [];
  batch.records = [];
  batch.seqs = [];
}

/** One lane per bucket, or per unordered pair of buckets for rows that touch two keys. */
function laneNumber(keys: readonly number[], buckets: number): number {
  if (keys.length === 0) return 0;
  return laneOf(bucketOf(keys[0], buckets), bucketOf(keys.length > 1 ? keys[1] : keys[0], buckets), buckets);
}
