import type { Keyset } from "../pipeline/pipeline.js";
import type { SourceItem } from "./source-record.js";

/** A database source's rows as records, their "line" being their place in what was read, from 1. */
export async function* numberedRecords(rows: AsyncIterable<Record<string, unknown>>): AsyncGenerator<SourceItem> {
  let line = 0;
  for await (const values of rows) yield { kind: "record", line: ++line, values };
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
