import { parse } from "csv-parse";
import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { createGunzip } from "node:zlib";
import { parseAdminArguments, type AdminImportArguments } from "../admin-import/admin-arguments.js";
import { compileAdminImport, headerFiles } from "../admin-import/compile-admin-import.js";
import { GraphloadError } from "../errors.js";
import type { Pipeline } from "../model/pipeline.js";
import type { RawPipeline } from "../pipeline/raw-pipeline.js";
import { parquetFileColumns } from "../source/parquet-records.js";
import { parsePipeline } from "./load-pipeline.js";

export interface AdminImport {
  readonly args: AdminImportArguments;
  /** The pipeline as a document: what `--print-pipeline` prints, and `graphload run` runs the same. */
  readonly document: RawPipeline;
  readonly pipeline: Pipeline;
}

/**
 * `neo4j-admin database import full`'s arguments to the pipeline that builds the same graph
 * online: reads the header line of each `--nodes` / `--relationships` group's first file
 * (with `--input-type parquet`, every file's column names from its footer), compiles, and validates the result as any pipeline. Relative paths resolve against `cwd`.
 */
export async function loadAdminImport(argv: readonly string[], cwd: string): Promise<AdminImport> {
  const args = parseAdminArguments(argv);
  const headers = new Map<string, readonly string[]>();
  for (const file of headerFiles(args)) {
    if (headers.has(file)) continue;
    const path = resolve(cwd, file);
    headers.set(file, args.inputType === "parquet" ? (await parquetFileColumns(path, path)).map((column) => column.name) : await readHeaderLine(path, args));
  }
  const document = compileAdminImport(args, headers, cwd);
  const pipeline = parsePipeline(JSON.stringify(document), { json: true, baseDir: cwd });
  return { args, document, pipeline };
}

/** The fields of a CSV file's first record, read with the import's delimiter and quote (gzip by its `.gz`). */
async function readHeaderLine(path: string, args: AdminImportArguments): Promise<readonly string[]> {
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
