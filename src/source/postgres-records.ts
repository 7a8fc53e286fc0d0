import type { SourceSpec } from "../model/pipeline.js";
import { keysetPages, numberedRecords, sqlParameters } from "./query-rows.js";
import { sourceError } from "./source-error.js";
import type { ReadFrom, SourceItem } from "./source-record.js";
import { postgresParser } from "./postgres-types.js";

export type PostgresQuerySource = Extract<SourceSpec, { kind: "postgres" }>;

/**
 * The rows of a SQL query, read through a server-side cursor `fetchSize` rows at a time, so
 * a large table never sits in memory. With a keyset, the query runs page after page with
 * `$1` (the last key read, or `after` to resume) and `$2` (the page size); an incremental
 * source's watermark comes after them (sqlParameters). Values are converted by column type
 * (postgres-types.ts).
 */
export async function* postgresRecords(source: PostgresQuerySource, name: string, from: ReadFrom = {}): AsyncGenerator<SourceItem[]> {
  // Loaded here, not at start: most runs read no database, and every run pays for what it loads.
  const [{ default: pg }, { default: Cursor }] = await Promise.all([import("pg"), import("pg-cursor")]);
  const client = new pg.Client({ connectionString: source.url, types: { getTypeParser: (oid: number) => postgresParser(oid) } });
  const read = async function* (values: unknown[]): AsyncGenerator<Record<string, unknown>> {
    const cursor = client.query(new Cursor<Record<string, unknown>>(source.query, values));
    try {
      for (let rows = await cursor.read(source.fetchSize); rows.length > 0; rows = await cursor.read(source.fetchSize)) yield* rows;
    } finally {
      await cursor.close();
    }
  };
  const { keyset } = source;
  const watermark = source.incremental ? { value: from.watermark ?? source.incremental.initial } : undefined;
  try {
    await client.connect();
    yield* numberedRecords(
      keyset
        ? keysetPages(keyset, from.after ?? keyset.after, (key) => read(sqlParameters({ after: key, page: keyset.page }, watermark)))
        : read(sqlParameters(undefined, watermark)),
    );
  } catch (error) {
    throw sourceError(error, name);
  } finally {
    await client.end();
  }
}
