import neo4j from "neo4j-driver";
import { sourceError } from "./source-error.js";
import type { SourceItem } from "./source-record.js";

export interface Neo4jQuerySource {
  readonly uri: string;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  readonly query: string;
  readonly fetchSize: number;
}

/**
 * The records of a read query, streamed from a Neo4j of its own (the target, another
 * database, another server) with a driver of its own: the driver pulls `fetchSize` records
 * at a time and only when the reader wants more, so a large result never sits in memory.
 * Values keep their Neo4j types. A record's "line" is its position in the result, from 1.
 */
export async function* neo4jRecords(source: Neo4jQuerySource, name: string): AsyncGenerator<SourceItem> {
  const auth = source.password !== undefined ? neo4j.auth.basic(source.user ?? "neo4j", source.password) : undefined;
  const driver = neo4j.driver(source.uri, auth, { userAgent: "graphload-source" });
  const session = driver.session({ database: source.database, defaultAccessMode: neo4j.session.READ, fetchSize: source.fetchSize });
  let line = 0;
  try {
    for await (const record of session.run(source.query)) {
      yield { kind: "record", line: ++line, values: record.toObject() };
    }
  } catch (error) {
    throw sourceError(error, name);
  } finally {
    await session.close();
    await driver.close();
  }
}
