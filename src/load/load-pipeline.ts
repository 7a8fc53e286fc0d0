import { readFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { adminHeaderRequests, expandAdminFormat, hasAdminFormat, type AdminHeaders } from "../admin-import/admin-format-tasks.js";
import { checkImportSpec } from "../import-spec/check-import-spec.js";
import { compileImportSpec, isImportSpec } from "../import-spec/compile-import-spec.js";
import { checkPipeline } from "../pipeline/check-pipeline.js";
import { interpolateEnv } from "../pipeline/interpolate-env.js";
import { normalizePipeline } from "../pipeline/normalize-pipeline.js";
import type { Pipeline, SchemaItem } from "../model/pipeline.js";
import type { RawPipeline } from "../pipeline/raw-pipeline.js";
import { explainAccidentalMaps, readDocument, type YamlSource } from "../pipeline/read-document.js";
import { PipelineValidationError, type ValidationIssue } from "../model/validation-issue.js";
import { readAdminHeaders } from "./admin-headers.js";
import { checkColumns } from "./check-columns.js";

export interface LoadPipelineOptions {
  /** Variables for `${VAR}`; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Connection URLs of an import specification's data sources, by name (`--data-source NAME=URL`). */
  readonly dataSources?: Readonly<Record<string, string>>;
}

/**
 * Reads, interpolates and validates a pipeline file (YAML or JSON), and checks the columns
 * it maps against the headers of its CSV files. Throws one PipelineValidationError that
 * lists every problem, or returns the resolved pipeline.
 */
export async function loadPipeline(file: string, options: LoadPipelineOptions = {}): Promise<Pipeline> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new PipelineValidationError(path, [
      { path: "$", code: "GL_FILE_NOT_FOUND", message: `cannot read the pipeline file: ${(error as Error).message}` },
    ]);
  }
  const parseOptions = { ...options, file: path, json: extname(path).toLowerCase() === ".json" };
  const document = readPipelineDocument(text, parseOptions);
  // Read ahead of the checks, which read no file themselves.
  const adminHeaders = hasAdminFormat(document.value) ? await readAdminHeaders(adminHeaderRequests(document.value, dirname(path))) : undefined;
  const pipeline = checkedPipeline(document, { ...parseOptions, adminHeaders });
  const issues = await checkColumns(pipeline);
  if (issues.length > 0) throw new PipelineValidationError(path, issues);
  return pipeline;
}

/**
 * Validates a pipeline given as text, written as a pipeline or as Neo4j's import
 * specification; relative source paths resolve against `baseDir` (or the file's folder).
 */
export function parsePipeline(text: string, options: ParseOptions = {}): Pipeline {
  return checkedPipeline(readPipelineDocument(text, options), options);
}

type ParseOptions = LoadPipelineOptions & { file?: string; baseDir?: string; json?: boolean; adminHeaders?: AdminHeaders };

/** A pipeline document as read, `${VAR}`s filled in: `value`, and `issues` of the variables unset. */
interface PipelineDocument {
  readonly value: unknown;
  readonly issues: ValidationIssue[];
  readonly yaml?: YamlSource;
}

function readPipelineDocument(text: string, options: ParseOptions): PipelineDocument {
  const { value, yaml } = readDocument(text, options);
  return { ...interpolateEnv(value, options.env ?? process.env), yaml };
}

function checkedPipeline(interpolated: PipelineDocument, options: ParseOptions): Pipeline {
  const { yaml } = interpolated;
  const env = options.env ?? process.env;
  let raw = interpolated.value;
  let warnings: readonly string[] = [];
  let declared: readonly SchemaItem[] = [];
  if (isImportSpec(raw)) {
    const shape = checkImportSpec(raw);
    if (interpolated.issues.length + shape.length > 0) throw new PipelineValidationError(options.file, [...interpolated.issues, ...shape]);
    const compiled = compileImportSpec(raw as Record<string, unknown>, { file: options.file, dataSources: options.dataSources ?? {}, env });
    if (compiled.issues.length > 0) throw new PipelineValidationError(options.file, compiled.issues);
    raw = compiled.document;
    warnings = compiled.warnings;
    declared = compiled.schema;
  }
  const baseDir = options.baseDir ?? (options.file ? dirname(options.file) : process.cwd());
  let stageShift = 0;
  if (hasAdminFormat(raw)) {
    const expanded = expandAdminFormat(raw as RawPipeline, options.adminHeaders, baseDir);
    if (expanded.issues.length > 0) throw new PipelineValidationError(options.file, [...interpolated.issues, ...expanded.issues]);
    raw = expanded.document;
    stageShift = expanded.stageShift;
  }
  let issues: ValidationIssue[] = [...interpolated.issues, ...unshift(checkPipeline(raw, { baseDir }), stageShift)];
  // Paths of a compiled import specification lead nowhere in the file's own YAML.
  if (yaml && raw === interpolated.value) issues = explainAccidentalMaps(issues, yaml);
  if (issues.length > 0) throw new PipelineValidationError(options.file, dedupe(issues));
  const pipeline = normalizePipeline(raw as RawPipeline, { file: options.file, baseDir });
  return { ...pipeline, schema: declared.length > 0 ? { ...pipeline.schema, declared } : pipeline.schema, warnings };
}

/** Issues found in a document that got stages before its own, at the paths of the document as written. */
function unshift(issues: ValidationIssue[], shift: number): ValidationIssue[] {
  if (shift === 0) return issues;
  return issues.map((issue) => ({ ...issue, path: issue.path.replace(/^\$\.stages\[(\d+)\]/, (_, index: string) => `$.stages[${Math.max(0, Number(index) - shift)}]`) }));
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const id = `${issue.path}\u0000${issue.code}\u0000${issue.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
