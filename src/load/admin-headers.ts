import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import type { AdminHeaderRequest, AdminHeaders } from "../admin-import/admin-format-tasks.js";
import { GraphloadError } from "../errors.js";
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
  const { parse } = await import("csv-parse");
  const input = createReadStream(path);
  const parser = parse({ delimiter: args.delimiter, quote: args.quote, escape: args.quote, bom: true, relax_quotes: true, relax_column_count: true });
  // Errors of the file (or gzip) end the parser too, so the loop below sees them.
  const fail = (error: Error): void => void parser.destroy(error);
  input.on("error", fail);
  if (path.toLowerCase().endsWith(".gz")) input.pipe(createGunzip().on("error", fail)).pipe(parser);
  else input.pipe(parser);
  try {
    for await (const record of parser) return record as string[];
  } catch (error) {
    throw new GraphloadError("GL_READ_FAILED", `cannot read the header of ${path}: ${(error as Error).message}`, { file: path });
  } finally {
    input.destroy();
  }
  throw new GraphloadError("GL_ADMIN_HEADER", `${path} is empty: the first file of --nodes or --relationships starts with the header`, { file: path });
}
