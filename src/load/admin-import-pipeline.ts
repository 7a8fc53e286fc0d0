import { resolve } from "node:path";
import { parseAdminArguments, type AdminImportArguments } from "../admin-import/admin-arguments.js";
import { compileAdminImport, headerFiles } from "../admin-import/compile-admin-import.js";
import { GraphloadError } from "../errors.js";
import type { Pipeline } from "../model/pipeline.js";
import type { RawPipeline } from "../pipeline/raw-pipeline.js";
import { readAdminHeader } from "./admin-headers.js";
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
 * (with `--input-type parquet`, every file's column names from its footer), compiles, and validates the result as any pipeline. Relative paths resolve against `cwd`;
 * `database` (--database) names the database as the positional argument does, and must agree with it.
 */
export async function loadAdminImport(argv: readonly string[], cwd: string, database?: string): Promise<AdminImport> {
  const parsed = parseAdminArguments(argv);
  if (parsed.database !== undefined && database !== undefined && parsed.database !== database) {
    throw new GraphloadError("GL_ADMIN_ARGUMENT", `the database is named twice, as ${parsed.database} and --database ${database}; give one`);
  }
  // `--database` names the database as the positional argument does: the pipeline's name, and so its lease and resume state, follow it.
  const args = database !== undefined ? { ...parsed, database } : parsed;
  const headers = new Map<string, readonly string[]>();
  for (const file of headerFiles(args)) {
    if (headers.has(file)) continue;
    const path = resolve(cwd, file);
    headers.set(file, await readAdminHeader(path, { ...args, parquet: args.inputType === "parquet" }));
  }
  const document = compileAdminImport(args, headers, cwd);
  const pipeline = parsePipeline(JSON.stringify(document), { json: true, baseDir: cwd });
  return { args, document, pipeline };
}
