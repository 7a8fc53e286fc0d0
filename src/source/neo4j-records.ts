import neo4j, { int, type Session } from "neo4j-driver";
import { createDriver } from "../create-driver.js";
import type { SourceSpec } from "../model/pipeline.js";
import { keysetPages, numberedRecords } from "./query-rows.js";
import { sourceError } from "./source-error.js";
import type { ReadFrom, SourceItem } from "./source-record.js";

export type Neo4jQuerySource = Extract<SourceSpec, { kind: "neo4j" }>;

/**
 * The records of a read query, streamed from a Neo4j of its own (the target, another
 * database, another server) with a driver of its own: the driver pulls `fetchSize` records
 * at a time and only when the reader wants more, so a large result never sits in memory.
 * With a keyset, the query runs page after page with `$after` (the last key read, or
 * `after` to resume) and `$page`; an incremental one takes `$watermark`. Values keep their
 * Neo4j types.
 */
export async function* neo4jRecords(source: Neo4jQuerySource, name: string, from: ReadFrom = {}): AsyncGenerator<SourceItem[]> {
  const driver = createDriver({ uri: source.uri, user: source.user, password: source.password, userAgent: "graphload-source" });
  const session = driver.session({ database: source.database, defaultAccessMode: neo4j.session.READ, fetchSize: source.fetchSize });
  const { keyset, incremental } = source;
  const watermark = incremental ? { watermark: parameter(from.watermark ?? incremental.initial) } : {};
  try {
    yield* numberedRecords(
      keyset
        ? keysetPages(keyset, from.after ?? keyset.after, (key) => rows(session, source.query, { after: parameter(key), page: int(keyset.page), ...watermark }))
        : rows(session, source.query, watermark),
    );
  } catch (error) {
    throw sourceError(error, name);
  } finally {
    await session.close();
    await driver.close();
  }
}

async function* rows(session: Session, query: string, parameters?: Record<string, unknown>): AsyncGenerator<Record<string, unknown>> {
  for await (const record of session.run(query, parameters)) yield record.toObject();
}

/** A whole number from the pipeline file compares as INTEGER, as keys usually are. */
function parameter(key: unknown): unknown {
  return typeof key === "number" && Number.isSafeInteger(key) ? int(key) : key;
}
