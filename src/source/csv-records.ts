import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import type { ErrorCode } from "../error-codes.js";
import { GraphloadError } from "../errors.js";
import type { CsvOptions } from "../model/pipeline.js";
import { readBatches } from "./read-batches.js";
import { sourceError } from "./source-error.js";
import type { MalformedRecord, SourceItem } from "./source-record.js";
import { Utf8Audit } from "./utf8-audit.js";

const LF = 10;
const CR = 13;

/**
 * The records of CSV or TSV bytes, a chunk at a time. csv-parse gives plain arrays (its objects, raw texts and
 * per-record info each cost a fifth to a third of the speed), so lines are counted here: one
 * per record plus the line breaks inside its quoted fields. Blank lines come through as one
 * empty field and are skipped, unless the file has a single column, where they are an empty
 * value. Quotes inside an unquoted field, and text after a closing quote, are kept as written
 * (`relax_quotes`): real exports hold `5" disk` far more often than a broken quote. A quoted
 * field that is never closed swallows the rest of the input and comes last, as one malformed
 * record whose text is lost. `openBytes` is called on the first read, so a generator never
 * iterated opens nothing.
 */
export async function* csvRecords(openBytes: () => Readable, options: CsvOptions, source: string): AsyncGenerator<SourceItem[]> {
  const audit = new Utf8Audit();
  const abandoned: string[] = [];
  const parser = parse({
    delimiter: options.delimiter,
    quote: options.quote,
    escape: options.quote,
    bom: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    relax_quotes: true,
    trim: options.trim ?? false,
    skip_records_with_error: true,
    on_skip: (error) => {
      abandoned.push(error?.code === "CSV_QUOTE_NOT_CLOSED" ? "a quoted field is never closed" : (error?.message ?? "unreadable record"));
      return undefined;
    },
  });
  let next = 1;
  const bytes = openBytes();
  try {
    let names = options.header ? undefined : namedColumns(options);
    for await (const batch of readBatches<string[]>(parser, pipeline(bytes, audit, parser))) {
      const items: SourceItem[] = [];
      for (const record of batch) {
        const line = next;
        next += 1 + lineBreaks(record);
        if (record.length === 1 && record[0] === "" && names?.length !== 1) continue;
        const invalidUtf8 = audit.pending && audit.takeInvalid(countReplacements(record));
        if (names === undefined) {
          names = headerNames(record, line, options, invalidUtf8);
        } else if (invalidUtf8) {
          items.push(malformed(line, record, options, "GL_INVALID_UTF8", "the record is not valid UTF-8"));
        } else if (record.length !== names.length) {
          items.push(malformed(line, record, options, "GL_MALFORMED_RECORD", `expected ${names.length} fields, found ${record.length}`));
        } else {
          items.push({ kind: "record", line, values: valuesOf(names, record) });
        }
      }
      if (items.length > 0) yield items;
    }
  } catch (error) {
    throw sourceError(error, source);
  } finally {
    bytes.destroy();
  }
  // The parser reports a record it gives up on at once, ahead of records still buffered; but
  // only an unclosed quote, which runs to the end of the input, makes it give up.
  if (abandoned.length > 0) yield abandoned.map((message) => ({ kind: "malformed", line: next, raw: "", code: "GL_MALFORMED_RECORD", message }));
}

function namedColumns(options: CsvOptions): readonly string[] {
  if (!options.columns) {
    throw new GraphloadError("GL_NO_COLUMNS", 'a file without a header needs "columns" to name its fields');
  }
  return checkNames(options.columns);
}

function headerNames(header: readonly string[], line: number, options: CsvOptions, invalidUtf8: boolean): readonly string[] {
  if (invalidUtf8) throw new GraphloadError("GL_MALFORMED_HEADER", "the header is not valid UTF-8", { line });
  if (options.columns && options.columns.length !== header.length) {
    throw new GraphloadError(
      "GL_MALFORMED_HEADER",
      `the header names ${header.length} columns, but "columns" names ${options.columns.length}`,
      { line },
    );
  }
  return checkNames(options.columns ?? header);
}

/** Unnamed columns may repeat (spreadsheets pad rows with them); a repeated name would hide a column. */
function checkNames(names: readonly string[]): readonly string[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (name !== "" && seen.has(name)) throw new GraphloadError("GL_DUPLICATE_NAME", `column "${name}" appears twice`, { column: name });
    seen.add(name);
  }
  return names;
}

function valuesOf(names: readonly string[], record: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) values[names[i]] = record[i];
  return values;
}

function countReplacements(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let at = field.indexOf("\uFFFD"); at !== -1; at = field.indexOf("\uFFFD", at + 1)) count++;
  }
  return count;
}

/** The record as CSV again: what was read, though not byte for byte what was written. */
function malformed(line: number, record: readonly string[], options: CsvOptions, code: ErrorCode, message: string): MalformedRecord {
  const { delimiter, quote } = options;
  const needsQuotes = (field: string): boolean =>
    quote !== "" && (field.includes(delimiter) || field.includes(quote) || field.includes("\n") || field.includes("\r"));
  const raw = record.map((field) => (needsQuotes(field) ? quote + field.replaceAll(quote, quote + quote) + quote : field)).join(delimiter);
  return { kind: "malformed", line, raw, code, message };
}

function lineBreaks(record: readonly string[]): number {
  let count = 0;
  for (const field of record) {
    if (field.indexOf("\n") === -1 && field.indexOf("\r") === -1) continue;
    for (let i = 0; i < field.length; i++) {
      const code = field.charCodeAt(i);
      if (code === LF || (code === CR && field.charCodeAt(i + 1) !== LF)) count++;
    }
  }
  return count;
}
