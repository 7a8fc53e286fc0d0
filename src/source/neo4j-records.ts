import neo4j, { int, type Session } from "neo4j-driver";
import type { Keyset, SourceSpec } from "../pipeline/pipeline.js";
import { sourceError } from "./source-error.js";
import type { SourceItem } from "./source-record.js";

export type Neo4jQuerySource = Extract<SourceSpec, { kind: "neo4j" }>;

/**
 * The records of a read query, streamed from a Neo4j of its own (the target, another
 * database, another server) with a driver of its own: the driver pulls `fetchSize` records
 * at a time and only when the reader wants more, so a large result never sits in memory.
 * With a keyset, the query runs page after page with `$after` (the last key read, or
 * `after` to resume) and `$page`. Values keep their Neo4j types. A record's "line" is its
 * position in what this reading returned, from 1.
 */
export async function* neo4jRecords(source: Neo4jQuerySource, name: string, after?: unknown): AsyncGenerator<SourceItem> {
  const auth = source.password !== undefined ? neo4j.auth.basic(source.user ?? "neo4j", source.password) : undefined;
  const driver = neo4j.driver(source.uri, auth, { userAgent: "graphload-source" });
  const session = driver.session({ database: source.database, defaultAccessMode: neo4j.session.READ, fetchSize: source.fetchSize });
  try {
    yield* source.keyset ? pages(session, source.query, source.keyset, after ?? source.keyset.after) : all(session, source.query);
  } catch (error) {
    throw sourceError(error, name);
  } finally {
    await session.close();
    await driver.close();
  }
}

async function* all(session: Session, query: string): AsyncGenerator<SourceItem> {
  let line = 0;
  for await (const record of session.run(query)) yield { kind: "record", line: ++line, values: record.toObject() };
}

async function* pages(session: Session, query: string, keyset: Keyset, first: unknown): AsyncGenerator<SourceItem> {
  let line = 0;
  let after = first;
  for (;;) {
    let rows = 0;
    const parameter = typeof after === "number" && Number.isSafeInteger(after) ? int(after) : after;
    for await (const record of session.run(query, { after: parameter, page: int(keyset.page) })) {
      rows++;
      const values = record.toObject();
      after = values[keyset.column];
      yield { kind: "record", line: ++line, values };
    }
    if (rows < keyset.page) return;
  }
}
