import { batchParameters, joinParameters, type BatchShape } from "../plan/batch-parameters.js";
import type { Row } from "../plan/row-mapper.js";
import type { SourceRecord } from "../source/source-record.js";
import { joinRecords, packRecords, type BatchRecords } from "./batch-records.js";

/**
 * Rows in the form they wait in: already the statement's parameters (batch-parameters.ts),
 * their records packed (batch-records.ts). Rows wait in an open batch until it fills and
 * then behind the batches being written, so what they hold outlives young-generation
 * collections; as objects and strings that was most of a run's garbage collection
 * (bench/RESULTS.md, "Batches that wait as their parameters").
 */
export interface SealedRows {
  /** How many rows. */
  readonly size: number;
  readonly parameters: Record<string, unknown>;
  readonly records: BatchRecords;
  /** The lane number of each row. */
  readonly seqs: Float64Array;
}

export function sealRows(shape: BatchShape, rows: readonly Row[], records: readonly SourceRecord[], seqs: readonly number[]): SealedRows {
  return { size: rows.length, parameters: batchParameters(shape, rows), records: packRecords(records), seqs: Float64Array.from(seqs) };
}

/** Sealed rows one after the other, as one. */
export function joinRows(shape: BatchShape, parts: readonly SealedRows[]): SealedRows {
  if (parts.length === 1) return parts[0];
  const seqs = new Float64Array(parts.reduce((sum, part) => sum + part.size, 0));
  let at = 0;
  for (const part of parts) {
    seqs.set(part.seqs, at);
    at += part.size;
  }
  return {
    size: seqs.length,
    parameters: joinParameters(shape, parts.map((part) => part.parameters)),
    records: joinRecords(parts.map((part) => part.records)),
    seqs,
  };
}
