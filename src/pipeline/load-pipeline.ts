import { readFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { fieldName } from "../convert/convert-value.js";
import { scalarConverter } from "../convert/scalar-converters.js";
import { GraphloadError } from "../errors.js";
import { checkImportSpec } from "../import-spec/check-import-spec.js";
import { compileImportSpec, isImportSpec } from "../import-spec/compile-import-spec.js";
import { checkColumns } from "./check-columns.js";
import { checkSchema } from "./check-schema.js";
import { interpolateEnv } from "./interpolate-env.js";
import { normalizePipeline } from "./normalize-pipeline.js";
import type { Pipeline, ScalarType } from "./pipeline.js";
import { PIPELINE_RULES } from "./pipeline-rules.js";
import { isObject, tasksOf, type RawPipeline } from "./raw-pipeline.js";
import { childPath, PipelineValidationError, type ValidationIssue } from "./validation-issue.js";

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
  const pipeline = parsePipeline(text, { ...options, file: path, json: extname(path).toLowerCase() === ".json" });
  const issues = await checkColumns(pipeline);
  if (issues.length > 0) throw new PipelineValidationError(path, issues);
  return pipeline;
}

/** Validates a pipeline given as text; relative source paths resolve against `baseDir` (or the file's folder). */
export function parsePipeline(
  text: string,
  options: LoadPipelineOptions & { file?: string; baseDir?: string; json?: boolean } = {},
): Pipeline {
  let document: unknown;
  try {
    // YAML is a superset of JSON, but JSON.parse gives JSON files JSON's own error messages.
    document = options.json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const line = error instanceof YAMLParseError ? ` (line ${error.linePos?.[0].line})` : "";
    throw new PipelineValidationError(options.file, [
      { path: "$", code: "GL_SYNTAX", message: `not valid ${options.json ? "JSON" : "YAML"}${line}: ${(error as Error).message.split("\n")[0]}` },
    ]);
  }
  const env = options.env ?? process.env;
  const interpolated = interpolateEnv(document, env);
  let raw = interpolated.value;
  let warnings: readonly string[] = [];
  if (isImportSpec(raw)) {
    const shape = checkImportSpec(raw);
    if (interpolated.issues.length + shape.length > 0) throw new PipelineValidationError(options.file, [...interpolated.issues, ...shape]);
    const compiled = compileImportSpec(raw as Record<string, unknown>, { file: options.file, dataSources: options.dataSources ?? {}, env });
    if (compiled.issues.length > 0) throw new PipelineValidationError(options.file, compiled.issues);
    raw = compiled.document;
    warnings = compiled.warnings;
  }
  const baseDir = options.baseDir ?? (options.file ? dirname(options.file) : process.cwd());
  const issues: ValidationIssue[] = [...interpolated.issues, ...checkSchema(raw)];
  if (raw !== null && typeof raw === "object") {
    for (const rule of PIPELINE_RULES) issues.push(...rule(raw as RawPipeline, { baseDir }));
    issues.push(...checkTemporalFormats(raw as RawPipeline));
  }
  if (issues.length > 0) throw new PipelineValidationError(options.file, dedupe(issues));
  return { ...normalizePipeline(raw as RawPipeline, { file: options.file, baseDir }), warnings };
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

const TEMPORAL_TYPES: ReadonlySet<string> = new Set<ScalarType>(["date", "datetime", "localdatetime", "time", "localtime"]);

/**
 * A temporal `format` is compiled here, so that a pattern that cannot work fails the
 * pipeline with its path before anything runs, not the first task that reads it.
 */
function checkTemporalFormats(document: RawPipeline): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const checkMap = (map: unknown, path: string): void => {
    if (!isObject(map)) return;
    for (const [property, mapping] of Object.entries(map)) {
      if (!isObject(mapping) || typeof mapping.format !== "string" || typeof mapping.type !== "string") continue;
      const scalar = mapping.type.replace(/\[\]$/, "");
      if (!TEMPORAL_TYPES.has(scalar)) continue;
      try {
        scalarConverter(scalar as ScalarType, mapping.format);
      } catch (error) {
        if (!(error instanceof GraphloadError)) throw error;
        const column = typeof mapping.column === "string" ? mapping.column : property;
        issues.push({ path: `${childPath(path, property)}.format`, code: error.code, message: `${fieldName({ column, property })}: ${error.message}` });
      }
    }
  };
  for (const { task, path } of tasksOf(document)) {
    if (isObject(task.node)) checkMap(task.node.properties, `${path}.node.properties`);
    const rel = task.relationship;
    if (isObject(rel)) {
      checkMap(rel.properties, `${path}.relationship.properties`);
      if (isObject(rel.from)) checkMap(rel.from.key, `${path}.relationship.from.key`);
      if (isObject(rel.to)) checkMap(rel.to.key, `${path}.relationship.to.key`);
    }
  }
  return issues;
}
