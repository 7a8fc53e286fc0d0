import { markerId, type BatchMarker } from "./checkpoint-store.js";
import type { SealedBatch } from "./sealed-batch.js";

/**
 * The marker of the rows `start` to `end` (exclusive) of a batch: the whole batch, or a
 * part the writer split off. In source order a part ends where the next part begins, so
 * rejected records between them are covered too; a keyset source's part ends at a record
 * whose key it knows, since a resume restarts after a range's last key.
 */
export function batchMarker(run: string, lease: string, task: string, batch: SealedBatch, keyColumn: string | undefined, start: number, end: number): BatchMarker {
  const first = start === 0 ? batch.firstSeq : batch.seqs[start];
  const whole = end === batch.size;
  const last = whole ? batch.lastSeq : keyColumn ? batch.seqs[end - 1] : batch.seqs[end] - 1;
  const key = keyColumn === undefined ? null : whole ? batch.lastKey : batch.records.at(end - 1)!.values[keyColumn];
  return { id: markerId(run, task, batch.lane, first), run, task, lane: batch.lane, start: first, end: last, key: key ?? null, watermark: batch.watermark ?? null, lease };
}
