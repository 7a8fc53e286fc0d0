import type { FieldPacket } from "mysql2";
import type { Socket } from "node:net";
import type { Readable } from "node:stream";
import type { SqlSource } from "../model/pipeline.js";
import { bindMysqlParameters } from "./mysql-parameters.js";
import { mysqlRows } from "./mysql-types.js";
import { numberedRecords, sqlRows, type UnreadableRow } from "./query-rows.js";
import { sourceError } from "./source-error.js";
import type { ReadFrom, SourceItem } from "./source-record.js";

/**
 * Seconds the server waits for graphload to read on: while Neo4j is slower than MySQL,
 * graphload stops reading, and MySQL's default (60 s) would end the query half-way.
 */
const WRITE_TIMEOUT = 3600;

/**
 * The rows of a query on MySQL or MariaDB, streamed: the server sends the result as graphload
 * reads it, and graphload stops reading from the connection while `fetchSize` rows wait for
 * the engine, so a large table never sits in memory. With a keyset, the query runs page
 * after page with `$1` (the last key read, or `after` to resume) and `$2` (the page size);
 * an incremental source's watermark comes after them (sqlRows).
 * Values are read as the server's text and converted by column type (mysql-types.ts), with
 * the session at UTC, so nothing depends on either side's time zone.
 */
export async function* mysqlRecords(source: SqlSource<"mysql">, name: string, from: ReadFrom = {}): AsyncGenerator<SourceItem[]> {
  // Loaded here, not at start: most runs read no database, and every run pays for what it loads.
  const { default: mysql } = await import("mysql2");
  const connection = mysql.createConnection({ uri: source.url });
  // Errors reach the query being read; one between queries must not crash the process.
  connection.on("error", () => {});
  let complete = false;
  const read = async function* (parameters: readonly unknown[]): AsyncGenerator<Record<string, unknown> | UnreadableRow> {
    const query = connection.query({ sql: bindMysqlParameters(source.query, parameters), rowsAsArray: true, typeCast: false });
    const rows: Readable = query.stream({ highWaterMark: source.fetchSize });
    let toRecord: ReturnType<typeof mysqlRows> | undefined;
    rows.once("fields", (fields: FieldPacket[]) => (toRecord = mysqlRows(fields, source.decimal)));
    try {
      for await (const row of rows) yield toRecord!(row);
    } finally {
      rows.destroy();
    }
  };
  try {
    await connection.promise().query(`SET SESSION time_zone = '+00:00', SESSION net_write_timeout = ${WRITE_TIMEOUT}`);
    yield* numberedRecords(sqlRows(source, from, read));
    complete = true;
  } catch (error) {
    throw sourceError(error, name);
  } finally {
    if (complete) {
      await connection.promise().end();
    } else {
      // A result left half-read: mysql2's destroy() only half-closes the socket and reads on
      // to the result's end; closing the socket itself makes the server stop the query.
      connection.destroy();
      (connection as unknown as { stream: Socket }).stream.destroy();
    }
  }
}
