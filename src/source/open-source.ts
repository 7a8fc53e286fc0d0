import { createReadStream, statSync } from "node:fs";
import { relative } from "node:path";
import { Transform, pipeline, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { Keyset, SourceSpec } from "../model/pipeline.js";
import { csvRecords } from "./csv-records.js";
import { jsonlRecords } from "./jsonl-records.js";
import { neo4jRecords } from "./neo4j-records.js";
import { postgresRecords } from "./postgres-records.js";
import type { ReadFrom, RecordSource, SourceItem } from "./source-record.js";

export interface OpenSourceOptions {
  /** What a `stdin` source reads; process.stdin when absent. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Name for logs and dead letters; the path relative to the working directory, or `stdin`, when absent. */
  readonly displayName?: string;
}

/** Large reads: per-chunk work (decompression, UTF-8 checks, parser bookkeeping) then hardly counts. */
const CHUNK_BYTES = 256 * 1024;

/**
 * A source over a file or standard input, plain or gzip, in any of the formats. Nothing is
 * opened until `records()` is iterated; leaving the iteration early closes the input.
 */
export function openSource(spec: SourceSpec, options: OpenSourceOptions = {}): RecordSource {
  if (spec.kind === "neo4j") {
    const name = options.displayName ?? `${spec.uri}${spec.database ? `/${spec.database}` : ""}`;
    return openQuerySource(name, spec.keyset, (from) => neo4jRecords(spec, name, from));
  }
  if (spec.kind === "inline") {
    const name = options.displayName ?? "inline rows";
    return openQuerySource(name, undefined, () => inlineRecords(spec.header, spec.data));
  }
  if (spec.kind === "postgres") {
    const name = options.displayName ?? withoutPassword(spec.url);
    return openQuerySource(name, spec.keyset, (from) => postgresRecords(spec, name, from));
  }
  const name = options.displayName ?? (spec.kind === "file" ? relative(process.cwd(), spec.path) || spec.path : "stdin");
  let bytesRead = 0;
  return {
    name,
    totalBytes: spec.kind === "file" ? fileSize(spec.path) : undefined,
    bytesRead: () => bytesRead,
    ...readOnce(name, () => {
      const openBytes = (): Readable => {
        const input = spec.kind === "file" ? createReadStream(spec.path, { highWaterMark: CHUNK_BYTES }) : (options.stdin ?? process.stdin);
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            bytesRead += chunk.length;
            done(null, chunk);
          },
        });
        // A failure anywhere reaches the reader through the last stream; destroying that one closes the input.
        const ignore = (): void => {};
        return spec.gzip ? pipeline(input, counter, createGunzip({ chunkSize: CHUNK_BYTES }), ignore) : pipeline(input, counter, ignore);
      };
      return spec.format === "jsonl" ? jsonlRecords(openBytes, name) : csvRecords(openBytes, spec.csv, name);
    }),
  };
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

/** A connection URL fit for logs and dead letters. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres";
  }
}

/** `chunks` and `records` of a source that can be read once, by either. */
function readOnce(name: string, open: (from?: ReadFrom) => AsyncIterable<SourceItem[]>): Pick<RecordSource, "chunks" | "records"> {
  let opened = false;
  const chunks = (from?: ReadFrom): AsyncIterable<SourceItem[]> => {
    if (opened) throw new Error(`${name} has been read already`);
    opened = true;
    return open(from);
  };
  return {
    chunks,
    records: (from) => {
      const read = chunks(from);
      return (async function* () {
        for await (const chunk of read) yield* chunk;
      })();
    },
  };
}

function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}
