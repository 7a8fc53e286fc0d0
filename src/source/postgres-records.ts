import pg from "pg";
import Cursor from "pg-cursor";
import type { SourceSpec } from "../pipeline/pipeline.js";
import { sourceError } from "./source-error.js";
import type { SourceItem } from "./source-record.js";
import { postgresParser } from "./postgres-types.js";

export type PostgresQuerySource = Extract<SourceSpec, { kind: "postgres" }>;

/**
 * The rows of a SQL query, read through a server-side cursor `fetchSize` rows at a time, so
 * a large table never sits in memory. With a keyset, the query runs page after page with
 * `$1` (the last key read, or `after` to resume) and `$2` (the page size). Values are
 * converted by column type (postgres-types.ts). A row's "line" is its position in what
 * this reading returned, from 1.
 */
export async function* postgresRecords(source: PostgresQuerySource, name: string, after?: unknown): AsyncGenerator<SourceItem> {
  const client = new pg.Client({ connectionString: source.url, types: { getTypeParser: (oid: number) => postgresParser(oid) } });
  let line = 0;
  try {
    await client.connect();
    const read = async function* (values: unknown[]): AsyncGenerator<Record<string, unknown>> {
      const cursor = client.query(new Cursor<Record<string, unknown>>(source.query, values));
      try {
        for (;;) {
          const rows = await cursor.read(source.fetchSize);
          if (rows.length === 0) return;
          yield* rows;
        }
      } finally {
        await cursor.close();
      }
    };
    if (!source.keyset) {
      for await (const values of read([])) yield { kind: "record", line: ++line, values };
      return;
    }
    let key: unknown = after ?? source.keyset.after;
    for (;;) {
      let rows = 0;
      // Keys travel back as text: PostgreSQL casts them to the column's type, exact for 64-bit integers too.
      for await (const values of read([String(key), source.keyset.page])) {
        rows++;
        key = values[source.keyset.column];
        yield { kind: "record", line: ++line, values };
      }
      if (rows < source.keyset.page) return;
    }
  } catch (error) {
    throw sourceError(error, name);
  } finally {
    await client.end();
  }
}
