import { batchParameters, type BatchShape } from "../plan/batch-parameters.js";
import { packRecords, type BatchRecords } from "./batch-records.js";
import type { Batch } from "./batcher.js";

/**
 * A closed batch as it waits for its transaction and goes: its rows already the statement's
 * parameters (batch-parameters.ts), its records packed (batch-records.ts). A batch waits
 * behind those being written, so what it holds outlives young-generation collections; as
 * rows of objects and strings that was most of a run's garbage collection (bench/RESULTS.md,
 * "Batches that wait as their parameters").
 */
export interface SealedBatch extends Omit<Batch, "rows" | "records" | "seqs"> {
  /** How many rows the batch has. */
  readonly size: number;
  readonly parameters: Record<string, unknown>;
  readonly records: BatchRecords;
  readonly seqs: Float64Array;
}

export function sealBatch(batch: Batch, shape: BatchShape): SealedBatch {
  const { rows, records, seqs, ...rest } = batch;
  return { ...rest, size: rows.length, parameters: batchParameters(shape, rows), records: packRecords(records), seqs: Float64Array.from(seqs) };
}
