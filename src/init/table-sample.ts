import type { SourceFormat } from "../model/pipeline.js";

/** A large file is read from its start and from this many places spread over the rest. */
export const SPREAD_CHUNKS = 8;

/** Rows read from one data file: what every guess of `init` is made from. */
export interface TableSample {
  /** The file as the draft names it: relative to the pipeline file. */
  readonly file: string;
  /** The file's name without folder and extensions: `order-details` for `data/order-details.csv.gz`. */
  readonly stem: string;
  readonly format: SourceFormat;
  readonly gzip: boolean;
  /** Set only where it is not the format's own (`;` in a `.csv` file). */
  readonly delimiter?: string;
  /** False where the first line already held data; the columns are then named `column1`, …. */
  readonly header: boolean;
  readonly columns: readonly string[];
  /** The header names a column twice, so `columns` renames them (a run refuses a repeated name). */
  readonly renamed?: boolean;
  /** One value per column: CSV text, or a JSON value (undefined where a record lacks the key). */
  readonly rows: ReadonlyArray<ReadonlyArray<unknown>>;
  /** Every row of the file was read, so uniqueness and containment are facts, not estimates. */
  readonly complete: boolean;
  /** Rows the whole file holds, estimated from the bytes read when it was not read to its end. */
  readonly estimatedRows: number;
}
