import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { ErrorCode } from "../error-codes.js";
import { GraphloadError } from "../errors.js";
import type { CsvOptions } from "../model/pipeline.js";
import { CsvScanner, type ScannedRecord } from "./csv-scanner.js";
import { sourceError } from "./source-error.js";
import type { MalformedRecord, SourceItem } from "./source-record.js";
import { Utf8Audit } from "./utf8-audit.js";

/**
 * The records of CSV or TSV bytes, a chunk at a time, split by CsvScanner. Blank lines come
 * through as one empty field and are skipped, unless the file has a single column, where they
 * are an empty value. A quoted field that is never closed swallows the rest of the input and
 * comes last, as one malformed record whose text is lost. Bytes are decoded as Node decodes
 * them, which replaces invalid UTF-8 with U+FFFD; the audit tells those from a U+FFFD that
 * was written. `openBytes` is called on the first read, so a generator never iterated opens nothing.
 */
export async function* csvRecords(openBytes: () => Readable, options: CsvOptions, source: string): AsyncGenerator<SourceItem[]> {
  const audit = new Utf8Audit();
  const decoder = new StringDecoder("utf8");
  const scanner = new CsvScanner({ delimiter: options.delimiter, quote: options.quote, trim: options.trim ?? false });
  let names = options.header ? undefined : namedColumns(options);
  const items = (records: readonly ScannedRecord[]): SourceItem[] => {
    const taken: SourceItem[] = [];
    for (const { fields, line } of records) {
      if (fields.length === 1 && fields[0] === "" && names?.length !== 1) continue;
      const invalidUtf8 = audit.pending && audit.takeInvalid(countReplacements(fields));
      if (names === undefined) {
        names = headerNames(fields, line, options, invalidUtf8);
      } else if (invalidUtf8) {
        taken.push(malformed(line, fields, options, "GL_INVALID_UTF8", "the record is not valid UTF-8"));
      } else if (fields.length !== names.length) {
        taken.push(malformed(line, fields, options, "GL_MALFORMED_RECORD", `expected ${names.length} fields, found ${fields.length}`));
      } else {
        taken.push({ kind: "record", line, values: valuesOf(names, fields) });
      }
    }
    return taken;
  };
  const bytes = openBytes();
  const records: ScannedRecord[] = [];
  let unclosed: number | undefined;
  try {
    for await (const chunk of pipeline(bytes, audit, ignore) as AsyncIterable<Buffer>) {
      scanner.push(decoder.write(chunk), records);
      if (records.length === 0) continue;
      const taken = items(records);
      records.length = 0;
      if (taken.length > 0) yield taken;
    }
    scanner.push(decoder.end(), records);
    unclosed = scanner.end(records);
  } catch (error) {
    throw sourceError(error, source);
  } finally {
    bytes.destroy();
  }
  const taken = items(records);
  if (unclosed !== undefined) taken.push({ kind: "malformed", line: unclosed, raw: "", code: "GL_MALFORMED_RECORD", message: "a quoted field is never closed" });
  if (taken.length > 0) yield taken;
}

// Failures reach the reader through the audit, the pipeline's last stream.
const ignore = (): void => {};

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
