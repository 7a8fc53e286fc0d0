import pg from "pg";
import Cursor from "pg-cursor";
import { sourceError } from "./source-error.js";
import type { SourceItem } from "./source-record.js";
import { postgresParser } from "./postgres-types.js";

export interface PostgresQuerySource {
  readonly url: string;
  readonly query: string;
  readonly fetchSize: number;
}

/**
 * The rows of a SQL query, read through a server-side cursor `fetchSize` rows at a time, so
 * a large table never sits in memory. Values are converted by column type
 * (postgres-types.ts). A row's "line" is its position in the result, from 1.
 */
export async function* postgresRecords(source: PostgresQuerySource, name: string): AsyncGenerator<SourceItem> {
  const client = new pg.Client({ connectionString: source.url, types: { getTypeParser: (oid: number) => postgresParser(oid) } });
  let line = 0;
  try {
    await client.connect();
    const cursor = client.query(new Cursor<Record<string, unknown>>(source.query));
    try {
      for (;;) {
        const rows = await cursor.read(source.fetchSize);
        if (rows.length === 0) break;
        for (const values of rows) yield { kind: "record", line: ++line, values };
      }
    } finally {
      await cursor.close();
    }
  } catch (error) {
    throw sourceError(error, name);
  } finally {
    await client.end();
  }
}
