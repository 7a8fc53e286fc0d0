import { urlWithoutPassword } from "../mask-secrets.js";
import type { Keyset, SourceSpec } from "../model/pipeline.js";
import { openFileSource, type FileSourceOptions } from "./file-source.js";
import { lazily } from "./lazily.js";
import { readOnce } from "./read-once.js";
import { rowsRecords } from "./rows-records.js";
import type { ReadFrom, RecordSource, SourceItem } from "./source-record.js";
import { textRecords } from "./text-records.js";

export interface OpenSourceOptions extends FileSourceOptions {
  /** What a `stdin` source reads; process.stdin when absent. */
  readonly stdin?: NodeJS.ReadableStream;
}

/**
 * Readers are imported when first read, never with this module (lazily.ts): keep it so for
 * every new kind.
 *
 * A source over files (local, web, objects), standard input or a database, plain or gzip,
 * in any of the formats. Nothing is opened until `records()` is iterated; leaving the
 * iteration early closes the input.
 */
export function openSource(spec: SourceSpec, options: OpenSourceOptions = {}): RecordSource {
  if (spec.kind === "neo4j") {
    const name = options.displayName ?? `${spec.uri}${spec.database ? `/${spec.database}` : ""}`;
    return openQuerySource(name, spec.keyset, (from) => lazily(() => import("./neo4j-records.js"), (reader) => reader.neo4jRecords(spec, name, from)));
  }
  if (spec.kind === "inline") {
    const name = options.displayName ?? "inline rows";
    return openQuerySource(name, undefined, () => inlineRecords(spec.header, spec.data));
  }
  if (spec.kind === "rows") {
    const name = options.displayName ?? "rows from code";
    return openQuerySource(name, undefined, () => rowsRecords(spec.rows, name));
  }
  if (spec.kind === "postgres") {
    const name = options.displayName ?? urlWithoutPassword(spec.url) ?? spec.kind;
    return openQuerySource(name, spec.keyset, (from) => lazily(() => import("./postgres-records.js"), (reader) => reader.postgresRecords(spec, name, from)));
  }
  if (spec.kind === "mysql") {
    const name = options.displayName ?? urlWithoutPassword(spec.url) ?? spec.kind;
    return openQuerySource(name, spec.keyset, (from) => lazily(() => import("./mysql-records.js"), (reader) => reader.mysqlRecords(spec, name, from)));
  }
  if (spec.kind === "stdin") {
    const name = options.displayName ?? "stdin";
    let bytesRead = 0;
    const input = (): NodeJS.ReadableStream => options.stdin ?? process.stdin;
    return { name, totalBytes: undefined, bytesRead: () => bytesRead, ...readOnce(name, () => textRecords(spec, input, spec.gzip, name, (bytes) => (bytesRead += bytes))) };
  }
  return openFileSource(spec, options);
}

/** A row's "line" is its position in `data`, from 1. */
async function* inlineRecords(header: readonly string[], data: readonly (readonly unknown[])[]): AsyncGenerator<SourceItem[]> {
  yield data.map((row, index): SourceItem => {
    const line = index + 1;
    if (row.length !== header.length) {
      return { kind: "malformed", line, raw: JSON.stringify(row), code: "GL_MALFORMED_RECORD", message: `expected ${header.length} values, found ${row.length}` };
    }
    return { kind: "record", line, values: Object.fromEntries(header.map((name, column) => [name, row[column]])) };
  });
}

/** A database source has no bytes to count: progress goes by records. */
function openQuerySource(name: string, keyset: Keyset | undefined, open: (from?: ReadFrom) => AsyncIterable<SourceItem[]>): RecordSource {
  return { name, keyset, totalBytes: undefined, bytesRead: () => 0, ...readOnce(name, open) };
}
