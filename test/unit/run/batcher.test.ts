import { describe, expect, it } from "vitest";
import { Batcher, type Batch, type Routing } from "../../../src/run/batcher.js";
import type { CommittedRange } from "../../../src/run/checkpoint-store.js";
import type { SourceRecord } from "../../../src/source/source-record.js";

const record = (line: number): SourceRecord => ({ kind: "record", line, values: {} });

function batcher(routing: Routing, batchSize: number, committed: CommittedRange[] = [], laneBudget = Infinity) {
  return new Batcher({ routing, batchSize: () => batchSize, laneBudget: () => laneBudget, committed });
}

const shape = (batches: Batch[]) => batches.map((batch) => ({ lane: batch.lane, rows: batch.rows, range: [batch.firstSeq, batch.lastSeq] }));

describe("Batcher", () => {
  it("in source order, cuts batches of the size asked and covers rejected records in their ranges", () => {
    const cut = batcher({ kind: "ordinal" }, 2);
    const ready: Batch[] = [];
    for (let seq = 1; seq <= 5; seq++) {
      expect(cut.countRecord(undefined, ready)).toBe(false);
      if (seq !== 2) cut.add([seq], record(seq), "", [], ready);
    }
    cut.finish(ready);
    expect(shape(ready)).toEqual([
      { lane: "0", rows: [[1], [3]], range: [1, 3] },
      { lane: "0", rows: [[4], [5]], range: [4, 5] },
    ]);
  });

  it("skips the records an earlier run committed, closing the open batch before each gap", () => {
    const cut = batcher({ kind: "ordinal" }, 10, [{ lane: "0", start: 3, end: 4 }]);
    const ready: Batch[] = [];
    const skipped = [];
    for (let seq = 1; seq <= 6; seq++) {
      if (cut.countRecord(undefined, ready)) skipped.push(seq);
      else cut.add([seq], record(seq), "", [], ready);
    }
    cut.finish(ready);
    expect(skipped).toEqual([3, 4]);
    expect(shape(ready)).toEqual([
      { lane: "0", rows: [[1], [2]], range: [1, 2] },
      { lane: "0", rows: [[5], [6]], range: [5, 6] },
    ]);
  });

  it("reads a keyset source again only after the unbroken committed ranges from its start", () => {
    const cut = batcher({ kind: "ordinal" }, 10, [
      { lane: "0", start: 1, end: 100, key: 100 },
      { lane: "0", start: 101, end: 200, key: 200 },
      { lane: "0", start: 301, end: 400, key: 400 },
    ]);
    expect(cut.resumeKeyset()).toEqual({ records: 200, after: 200 });
  });

  it("routes rows with the same key to the same lane, numbering each lane's rows", () => {
    const cut = batcher({ kind: "routed", buckets: 4, ordered: true }, 2);
    const ready: Batch[] = [];
    const keys = [5, 6, 5, 6, 7];
    keys.forEach((key, index) => cut.add([key, index], record(index + 2), "", [key], ready));
    cut.finish(ready);
    expect(shape(ready)).toEqual([
      { lane: "#5", rows: [[5, 0], [5, 2]], range: [1, 2] },
      { lane: "#6", rows: [[6, 1], [6, 3]], range: [1, 2] },
      { lane: "#7", rows: [[7, 4]], range: [1, 1] },
    ].map((batch) => ({ ...batch, lane: `#${laneName(batch.rows[0][0] as number)}` })));
  });

  it("ordered: a row touching another lane's open key sends that lane's batch first", () => {
    const cut = batcher({ kind: "routed", buckets: 8, ordered: true }, 100);
    const ready: Batch[] = [];
    cut.add(["a"], record(2), "", [1, 2], ready);
    expect(ready).toHaveLength(0);
    // Keys 2 and 3 make another lane; key 2 is open in the first lane, which must go first.
    cut.add(["b"], record(3), "", [2, 3], ready);
    expect(ready.map((batch) => batch.rows)).toEqual([[["a"]]]);
  });

  it("keeps a routed task's buffered rows within its budget by sending the fullest lane", () => {
    const cut = batcher({ kind: "routed", buckets: 4, ordered: false }, 100, [], 5);
    const ready: Batch[] = [];
    [0, 0, 0, 1, 2, 3].forEach((key, index) => cut.add([key], record(index + 2), "", [key], ready));
    expect(ready.map((batch) => batch.rows.length)).toEqual([3]);
  });

  it("resumes a routed lane where its committed ranges say", () => {
    const cut = batcher({ kind: "routed", buckets: 4, ordered: true }, 10, [{ lane: `#${laneName(1)}`, start: 1, end: 2 }]);
    const ready: Batch[] = [];
    const added = [1, 1, 1].map((key, index) => cut.add([key, index], record(index + 2), "", [key], ready));
    cut.finish(ready);
    expect(added).toEqual([false, false, true]);
    expect(shape(ready)).toEqual([{ lane: `#${laneName(1)}`, rows: [[1, 2]], range: [3, 3] }]);
  });
  it("seals an open batch's rows as it fills, and keeps every row, record and number of the batch", () => {
    const sealed: number[][] = [];
    const cut = new Batcher({
      routing: { kind: "ordinal" },
      batchSize: () => 5,
      laneBudget: () => Infinity,
      committed: [],
      seal: { every: 2, rows: (rows, records, seqs) => (sealed.push(seqs), { size: rows.length, parameters: { rows }, records, seqs: Float64Array.from(seqs) }) },
    });
    const ready: Batch[] = [];
    for (let seq = 1; seq <= 6; seq++) {
      cut.countRecord(undefined, ready);
      cut.add([seq], record(seq), "", [], ready);
    }
    cut.finish(ready);
    expect(sealed).toEqual([[1, 2], [3, 4]]);
    expect(ready.map((batch) => [batch.size, batch.parts.map((part) => part.parameters.rows), batch.rows])).toEqual([
      [5, [[[1], [2]], [[3], [4]]], [[5]]],
      [1, [], [[6]]],
    ]);
  });
});

/** The lane a single key hash falls in with 4 buckets (batcher.ts numbers pairs of buckets). */
function laneName(key: number, buckets = 4): number {
  const bucket = key % buckets;
  return bucket * buckets - (bucket * (bucket - 1)) / 2;
}
