import { readFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, type Document, type YAMLError } from "yaml";
import { fieldName } from "../convert/convert-value.js";
import { scalarConverter } from "../convert/scalar-converters.js";
import { isErrorCode } from "../error-codes.js";
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
  let yaml: YamlSource | undefined;
  if (options.json) {
    try {
      // YAML is a superset of JSON, but JSON.parse gives JSON files JSON's own error messages.
      document = JSON.parse(text);
    } catch (error) {
      throw new PipelineValidationError(options.file, [{ path: "$", code: "GL_SYNTAX", message: `not valid JSON: ${(error as Error).message}` }]);
    }
  } else {
    yaml = readYaml(text, options.file);
    document = yaml.value;
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
  let issues: ValidationIssue[] = [...interpolated.issues, ...checkSchema(raw)];
  if (raw !== null && typeof raw === "object") {
    for (const rule of PIPELINE_RULES) issues.push(...rule(raw as RawPipeline, { baseDir }));
    issues.push(...checkTemporalFormats(raw as RawPipeline));
  }
  // Paths of a compiled import specification lead nowhere in the file's own YAML.
  if (yaml && raw === interpolated.value) issues = explainAccidentalMaps(issues, yaml);
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
        issues.push({ path: `${childPath(path, property)}.format`, code: isErrorCode(error.code) ? error.code : "GL_INVALID_VALUE", message: `${fieldName({ column, property })}: ${error.message}` });
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

/** A YAML pipeline as read, kept to locate what the checks find in it. */
interface YamlSource {
  readonly value: unknown;
  readonly text: string;
  readonly document: Document;
  readonly lines: LineCounter;
}

function readYaml(text: string, file: string | undefined): YamlSource {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [error] = document.errors;
  if (error) throw new PipelineValidationError(file, [syntaxIssue(error, text, lines)]);
  let value: unknown;
  try {
    value = document.toJS();
  } catch (error) {
    // Aliases that expand beyond the limit fail here, past the parser.
    throw new PipelineValidationError(file, [{ path: "$", code: "GL_SYNTAX", message: `not valid YAML: ${(error as Error).message}` }]);
  }
  return { value, text, document, lines };
}

const QUOTING_ADVICE = 'quote the item ("…" or \'…\') or write it as a block scalar ("|" in its place, the text on the next lines, indented)';

/** The first YAML error with its line and column, and the usual cause where the line shows it. */
function syntaxIssue(error: YAMLError, text: string, lines: LineCounter): ValidationIssue {
  const { line, col } = lines.linePos(error.pos[0]);
  const reason = /^[A-Z][a-z]/.test(error.message) ? error.message[0].toLowerCase() + error.message.slice(1) : error.message;
  const start = lines.lineStarts[line - 1] ?? 0;
  const end = text.indexOf("\n", start);
  const hint = looksLikeUnquotedCypher(text.slice(start, end === -1 ? undefined : end))
    ? `; ": " and "{…}" (a Cypher map) in unquoted text are YAML syntax, so ${QUOTING_ADVICE}`
    : "";
  return { path: "$", code: "GL_SYNTAX", message: `not valid YAML at line ${line}, column ${col}: ${reason}${hint}` };
}

/** A line whose value is plain (unquoted, not a block scalar or flow collection) and holds ": " or braces. */
function looksLikeUnquotedCypher(line: string): boolean {
  const value = line
    .replace(/\s+#.*$/, "")
    .replace(/^\s*(?:-\s+)*/, "")
    .replace(/^[\w.$-]+:\s+/, "")
    .replace(/^(?:-\s+)*/, "");
  if (value === "" || /^["'|>{[&*!%@`]/.test(value)) return false;
  return /:\s|[{}]/.test(value);
}

/**
 * `- MERGE (n:X {a: 1})` is no syntax error: YAML reads the ": " as a map whose key is
 * `MERGE (n:X {a`. Where the checks then object to a map, say so rather than leave the
 * user looking for a map they never wrote.
 */
function explainAccidentalMaps(issues: ValidationIssue[], yaml: YamlSource): ValidationIssue[] {
  const explained = new Map<string, ValidationIssue>();
  return issues.flatMap((issue) => {
    const segments = pathSegments(issue.path);
    for (let length = segments.length; length > 0; length--) {
      const node = yaml.document.getIn(segments.slice(0, length), true);
      if (!isMap(node) || node.items.length !== 1 || !node.range) continue;
      const [pair] = node.items;
      if (!isScalar(pair.key) || pair.key.type !== "PLAIN" || !hasOpenBracket(String(pair.key.value))) continue;
      const path = segments.slice(0, length).reduce<string>((parent, key) => childPath(parent, key), "$");
      if (explained.has(path)) return [];
      const [start, end] = node.range;
      const { line, col } = yaml.lines.linePos(start);
      const written = yaml.text.slice(start, end).split("\n")[0].trim();
      const shown = JSON.stringify(written.length > 60 ? `${written.slice(0, 60)}…` : written);
      const replacement: ValidationIssue = {
        path,
        code: "GL_SYNTAX",
        message: `line ${line}, column ${col}: YAML reads ${shown} as a map, the ": " in the unquoted text ending its key ${JSON.stringify(String(pair.key.value))}: ${QUOTING_ADVICE}`,
      };
      explained.set(path, replacement);
      return [replacement];
    }
    return [issue];
  });
}

/** A key with a bracket left open was cut by ": ", not written as a key. */
function hasOpenBracket(key: string): boolean {
  let depth = 0;
  for (const char of key) {
    if (char === "(" || char === "{" || char === "[") depth++;
    else if ((char === ")" || char === "}" || char === "]") && depth > 0) depth--;
  }
  return depth > 0;
}

/** The keys of a JSONPath as childPath writes them: `$.stages[0]["a b"]`. */
function pathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const pattern = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  pattern.lastIndex = 1;
  for (let match = pattern.exec(path); match; match = pattern.exec(path)) {
    segments.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (JSON.parse(match[3]) as string)));
  }
  return segments;
}
