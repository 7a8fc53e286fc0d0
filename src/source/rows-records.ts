import { GraphloadError } from "../errors.js";
import type { RowIterable } from "../model/pipeline.js";
import type { SourceItem } from "./source-record.js";

/**
 * Rows taken from a synchronous iterable per chunk: few enough that the engine, which asks
 * for the next chunk only once the batches of this one are on their way, never holds many
 * more rows than it writes.
 */
const CHUNK_ROWS = 1000;

/**
 * The items of a program's iterable as records, a chunk at a time, pulled only when the
 * engine asks for the next chunk: a slow database slows the producer. An async iterable is
 * asked for one row at a time (its producer decides how it waits), and what has arrived is
 * handed on once a chunk is full or the producer is done. A record's `line` is its position,
 * from 1; an item that is not a plain object is malformed. An error of the iterable ends the
 * read as GL_ROWS_SOURCE, with the run resumable.
 */
export async function* rowsRecords(rows: RowIterable, name: string): AsyncGenerator<SourceItem[]> {
  let line = 0;
  const item = (value: unknown): SourceItem => {
    line++;
    if (isPlainObject(value)) return { kind: "record", line, values: value };
    return { kind: "malformed", line, raw: String(safeJson(value)), code: "GL_MALFORMED_ROW", message: `expected a plain object, got ${describe(value)}` };
  };
  const isAsync = Symbol.asyncIterator in rows;
  const iterator: Iterator<unknown> | AsyncIterator<unknown> = isAsync ? (rows as AsyncIterable<unknown>)[Symbol.asyncIterator]() : (rows as Iterable<unknown>)[Symbol.iterator]();
  let done = false;
  try {
    while (!done) {
      const chunk: SourceItem[] = [];
      while (chunk.length < CHUNK_ROWS) {
        // A synchronous iterator is read without an await per row.
        const next = isAsync ? await iterator.next() : (iterator as Iterator<unknown>).next();
        if (next.done) {
          done = true;
          break;
        }
        chunk.push(item(next.value));
      }
      if (chunk.length > 0) yield chunk;
    }
  } catch (error) {
    done = true;
    throw new GraphloadError("GL_ROWS_SOURCE", `${name} threw after ${line} rows: ${error instanceof Error ? error.message : String(error)}; run again with resume once it yields the same rows`, { line }, { cause: error });
  } finally {
    // Left early (the run stopped): the producer may release what it holds.
    if (!done) await iterator.return?.();
  }
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? `an instance of ${(value as object).constructor?.name ?? "a class"}` : `a ${typeof value}`;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
