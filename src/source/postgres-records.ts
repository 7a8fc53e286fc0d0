import type { SqlSource } from "../model/pipeline.js";
import { numberedRecords, sqlRows } from "./query-rows.js";
import { sourceError } from "./source-error.js";
import type { ReadFrom, SourceItem } from "./source-record.js";
import { postgresParser } from "./postgres-types.js";

export type PostgresQuerySource = SqlSource<"postgres">;

/**
 * The rows of a SQL query, read through a server-side cursor `fetchSize` rows at a time, so
 * a large table never sits in memory. With a keyset, the query runs page after page with
 * `$1` (the last key read, or `after` to resume) and `$2` (the page size); an incremental
 * source's watermark comes after them (sqlRows). Values are converted by column type
 * (postgres-types.ts).
 */
export async function* postgresRecords(source: PostgresQuerySource, name: string, from: ReadFrom = {}): AsyncGenerator<SourceItem[]> {
  // Loaded here, not at start: most runs read no database, and every run pays for what it loads.
  const [{ default: pg }, { default: Cursor }] = await Promise.all([import("pg"), import("pg-cursor")]);
  const client = new pg.Client({ connectionString: source.url, types: { getTypeParser: (oid: number) => postgresParser(oid, source.decimal) } });
  const read = async function* (values: readonly unknown[]): AsyncGenerator<Record<string, unknown>> {
    // Keys and watermarks travel as text, which PostgreSQL casts to the column's type: exact for 64-bit integers, ISO 8601 for dates and date-times.
    const cursor = client.query(new Cursor<Record<string, unknown>>(source.query, values.map(String)));
    try {
      for (let rows = await cursor.read(source.fetchSize); rows.length > 0; rows = await cursor.read(source.fetchSize)) yield* rows;
    } finally {
      await cursor.close();
    }
  };
  try {
    await client.connect();
    yield* numberedRecords(sqlRows(source, from, read));
  } catch (error) {
    throw sourceError(error, name);
  } finally {
    await client.end();
  }
}
