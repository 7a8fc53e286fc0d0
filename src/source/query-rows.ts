import type { Incremental, Keyset } from "../model/pipeline.js";
import type { ReadFrom, SourceItem } from "./source-record.js";

/** Records handed on at a time: a database's rows arrive one by one, the engine takes them by the chunk. */
const CHUNK = 256;

type Values = Record<string, unknown>;

/**
 * A row holding a value Neo4j has no counterpart for (a MySQL TIME beyond a day, a date with
 * zero parts): handed on as a rejected record, the row's values as text, never failing the run.
 */
export class UnreadableRow {
  constructor(
    readonly values: Values,
    readonly message: string,
  ) {}
}

/** A database source's rows as records, their "line" being their place in what was read, from 1. */
export async function* numberedRecords(rows: AsyncIterable<Values | UnreadableRow>): AsyncGenerator<SourceItem[]> {
  let line = 0;
  let chunk: SourceItem[] = [];
  for await (const row of rows) {
    line++;
    chunk.push(
      row instanceof UnreadableRow
        ? { kind: "malformed", line, raw: JSON.stringify(row.values), code: "GL_BAD_VALUE", message: row.message }
        : { kind: "record", line, values: row },
    );
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
export async function* keysetPages<Row extends Values | UnreadableRow>(keyset: Keyset, first: unknown, readPage: (after: unknown) => AsyncIterable<Row>): AsyncGenerator<Row> {
  let after = first;
  for (;;) {
    let rows = 0;
    for await (const row of readPage(after)) {
      rows++;
      after = (row instanceof UnreadableRow ? row.values : (row as Values))[keyset.column];
      yield row;
    }
    if (rows < keyset.page) return;
  }
}

/**
 * The rows of a SQL source, whose query takes `$1, $2, …`: `read(parameters)` runs it with
 * them bound. With a keyset, page after page, `$1` being the key before the page (the last
 * key read, or where a resumed run starts) and `$2` the page size; an incremental source's
 * watermark comes after them (`$1` alone, `$3` after keyset's). Each database binds the
 * values in its own way.
 */
export function sqlRows<Row extends Values | UnreadableRow>(
  source: { readonly keyset?: Keyset; readonly incremental?: Incremental },
  from: ReadFrom,
  read: (parameters: readonly unknown[]) => AsyncIterable<Row>,
): AsyncIterable<Row> {
  const { keyset, incremental } = source;
  const watermark = incremental ? [from.watermark ?? incremental.initial] : [];
  return keyset ? keysetPages(keyset, from.after ?? keyset.after, (key) => read([key, keyset.page, ...watermark])) : read(watermark);
}
