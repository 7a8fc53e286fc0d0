import type { Keyset } from "../model/pipeline.js";
import type { SourceItem } from "./source-record.js";

/** Records handed on at a time: a database's rows arrive one by one, the engine takes them by the chunk. */
const CHUNK = 256;

/** A database source's rows as records, their "line" being their place in what was read, from 1. */
export async function* numberedRecords(rows: AsyncIterable<Record<string, unknown>>): AsyncGenerator<SourceItem[]> {
  let line = 0;
  let chunk: SourceItem[] = [];
  for await (const values of rows) {
    chunk.push({ kind: "record", line: ++line, values });
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Keyset paging: `readPage(after)` gives the rows beyond a key, in key order, at most a
 * page of them; the next page starts after the last row's key, and a short page is the last.
 */
export async function* keysetPages(
  keyset: Keyset,
  first: unknown,
  readPage: (after: unknown) => AsyncIterable<Record<string, unknown>>,
): AsyncGenerator<Record<string, unknown>> {
  let after = first;
  for (;;) {
    let rows = 0;
    for await (const values of readPage(after)) {
      rows++;
      after = values[keyset.column];
      yield values;
    }
    if (rows < keyset.page) return;
  }
}

/**
 * The values of a SQL source's `$1, $2, …`: keyset's after-key and page size, then the
 * watermark. Keys and watermarks travel as text, which the database casts to the column's
 * type: exact for 64-bit integers, ISO 8601 for dates and date-times.
 */
export function sqlParameters(keyset: { readonly after: unknown; readonly page: number } | undefined, watermark: { readonly value: unknown } | undefined): unknown[] {
  return [...(keyset ? [String(keyset.after), keyset.page] : []), ...(watermark ? [String(watermark.value)] : [])];
}
