import type { ErrorCode } from "../error-codes.js";
import type { Keyset } from "../model/pipeline.js";

/**
 * What every source yields, one item per record. A record that cannot be read (wrong column
 * count, invalid JSON, invalid UTF-8) is not an exception: it is yielded as `malformed` so
 * the engine can set it aside and reading goes on.
 */
export type SourceItem = SourceRecord | MalformedRecord;

export interface SourceRecord {
  readonly kind: "record";
  /** 1-based line of the input on which the record starts (a CSV header is line 1). */
  readonly line: number;
  /** Column name → value as read: strings for CSV/TSV, JSON values for JSON Lines. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The file (as InputEntry.name) of a source over several: `line` counts within it. */
  readonly file?: string;
}

export interface MalformedRecord {
  readonly kind: "malformed";
  readonly line: number;
  /** The raw text of the record, as far as it could be recovered. */
  readonly raw: string;
  readonly code: ErrorCode;
  readonly message: string;
  /** The file (as InputEntry.name) of a source over several: `line` counts within it. */
  readonly file?: string;
}

/**
 * Where a read starts: `after`, the key a keyset source resumes after; `watermark`, the
 * value an incremental source reads beyond.
 */
export interface ReadFrom {
  readonly after?: unknown;
  readonly watermark?: unknown;
}

/** A readable source of records: opened once, read once. */
export interface RecordSource {
  /** Human-readable origin for logs and dead letters: a path relative to the cwd, a URL, a glob, or `stdin`. */
  readonly name: string;
  /** Size of the input in bytes where known up front (plain or gzip file on disk). */
  readonly totalBytes: number | undefined;
  /** Bytes of the input consumed so far (compressed bytes for gzip). */
  bytesRead(): number;
  /**
   * The records, a chunk at a time, in order: what the engine reads, with no await per
   * record. A keyset source reads from the row after `after` when given (see Keyset); an
   * incremental one the rows beyond `watermark` (see Incremental).
   */
  chunks(from?: ReadFrom): AsyncIterable<readonly SourceItem[]>;
  /** The same records one by one, for readers that want only a few. */
  records(from?: ReadFrom): AsyncIterable<SourceItem>;
  /** Set for a database source paged by a key: records come in that key's order. */
  readonly keyset?: Keyset;
}
