import type { BatchShape } from "../plan/batch-parameters.js";
import type { Batch } from "./batcher.js";
import { joinRows, sealRows, type SealedRows } from "./sealed-rows.js";

/** A closed batch as its transaction takes it: all its rows sealed (sealed-rows.ts). */
export interface SealedBatch extends Omit<Batch, keyof SealedRows | "rows" | "parts">, SealedRows {}

export function sealBatch(batch: Batch, shape: BatchShape): SealedBatch {
  const { rows, records, seqs, parts, size, ...rest } = batch;
  const all = rows.length === 0 ? parts : [...parts, sealRows(shape, rows, records, seqs)];
  return { ...rest, ...joinRows(shape, all) };
}
