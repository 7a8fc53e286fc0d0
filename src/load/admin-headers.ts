import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import type { AdminHeaderRequest, AdminHeaders } from "../admin-import/admin-format-tasks.js";
import { GraphloadError } from "../errors.js";
import type { ScannedRecord } from "../source/csv-scanner.js";
import { parquetFileColumns } from "../source/parquet-records.js";

/** The headers a pipeline's `format: neo4j-admin` sources name, read once each; a file that cannot be read gives its error, for the pipeline's issues. */
export async function readAdminHeaders(requests: readonly AdminHeaderRequest[]): Promise<AdminHeaders> {
  const headers = new Map<string, readonly string[] | GraphloadError>();
  for (const request of requests) {
    if (headers.has(request.path)) continue;
    try {
      headers.set(request.path, await readAdminHeader(request.path, request));
    } catch (error) {
      if (!(error instanceof GraphloadError)) throw error;
      headers.set(request.path, error);
    }
  }
  return headers;
}

/** A file's header entries: a Parquet file's column names (from its footer), or a CSV file's first record. */
export async function readAdminHeader(path: string, args: { readonly parquet: boolean; readonly delimiter: string; readonly quote: string }): Promise<readonly string[]> {
  return args.parquet ? (await parquetFileColumns(path, path)).map((column) => column.name) : readHeaderLine(path, args);
}

/** The fields of a CSV file's first record, read with the import's delimiter and quote (gzip by its `.gz`). */
async function readHeaderLine(path: string, args: { readonly delimiter: string; readonly quote: string }): Promise<readonly string[]> {
  // Loaded here: loading a pipeline file loads no reader until a header is read.
  const { CsvScanner } = await import("../source/csv-scanner.js");
  const scanner = new CsvScanner({ delimiter: args.delimiter, quote: args.quote, trim: false });
  const decoder = new StringDecoder("utf8");
  const records: ScannedRecord[] = [];
  const input = createReadStream(path);
  try {
    const bytes = path.toLowerCase().endsWith(".gz") ? pipeline(input, createGunzip(), ignore) : input;
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      scanner.push(decoder.write(chunk), records);
      if (records.length > 0) break;
    }
    if (records.length === 0) scanner.end(records);
  } catch (error) {
    throw new GraphloadError("GL_READ_FAILED", `cannot read the header of ${path}: ${(error as Error).message}`, { file: path });
  } finally {
    input.destroy();
  }
  if (records.length === 0) {
    throw new GraphloadError("GL_ADMIN_HEADER", `${path} is empty: the first file of --nodes or --relationships starts with the header`, { file: path });
  }
  return records[0].fields;
}

// Failures of the file or of gzip reach the loop through the last stream.
const ignore = (): void => {};
