import { resolve } from "node:path";
import { GraphloadError } from "../errors.js";
import type { ValidationIssue } from "../model/validation-issue.js";
import { isObject, type RawPipeline, type RawSource, type RawStage, type RawTask } from "../pipeline/raw-pipeline.js";
import { ID_TYPES, parseAdminHeader, type AdminColumn, type AdminFileKind } from "./admin-header.js";
import { adminNodeTask, adminRelationshipTask, idGroupOf, importIdStages, type AdminReadOptions } from "./compile-admin-import.js";

/** The source format that reads neo4j-admin's header format. */
export const ADMIN_FORMAT = "neo4j-admin";

/** A header to read before a pipeline with `format: neo4j-admin` sources compiles: a CSV file's first record, or a Parquet file's column names. */
export interface AdminHeaderRequest {
  readonly path: string;
  readonly parquet: boolean;
  readonly delimiter: string;
  readonly quote: string;
}

/** The headers read, by path; an error where one could not be read. */
export type AdminHeaders = ReadonlyMap<string, readonly string[] | GraphloadError>;

/** Keys a `format: neo4j-admin` source takes; the header says the rest. */
const SOURCE_KEYS = new Set(["file", "files", "format", "headerFile", "delimiter", "quote", "arrayDelimiter", "idType", "trim", "gzip", "incremental"]);
/** Task keys that keep their meaning; the others are the header's to say. */
const TASK_KEYS = new Set(["name", "source", "node", "relationship", "where", "batchSize", "concurrency", "strategy"]);

function adminSources(document: unknown): Array<{ task: RawTask; source: RawSource & Record<string, unknown>; path: string; stage: number; index: number }> {
  if (!isObject(document) || !Array.isArray(document.stages)) return [];
  return (document.stages as unknown[]).flatMap((stage, stageIndex) =>
    isObject(stage) && Array.isArray(stage.tasks)
      ? (stage.tasks as unknown[]).flatMap((task, index) =>
          isObject(task) && isObject(task.source) && task.source.format === ADMIN_FORMAT
            ? [{ task: task as RawTask, source: task.source as RawSource & Record<string, unknown>, path: `$.stages[${stageIndex}].tasks[${index}]`, stage: stageIndex, index }]
            : [],
        )
      : [],
  );
}

/** Whether a document has a `format: neo4j-admin` source, which only a pipeline read from a file (loadPipeline) compiles. */
export function hasAdminFormat(document: unknown): boolean {
  return adminSources(document).length > 0;
}

function headerPath(source: RawSource & { headerFile?: unknown }): unknown {
  return source.headerFile ?? source.file;
}

function isParquet(source: RawSource): boolean {
  return [source.file, source.files].some((name) => typeof name === "string" && name.toLowerCase().endsWith(".parquet"));
}

/** The headers a document's `format: neo4j-admin` sources need, paths resolved against `baseDir`. */
export function adminHeaderRequests(document: unknown, baseDir: string): AdminHeaderRequest[] {
  return adminSources(document).flatMap(({ source }) => {
    const file = headerPath(source);
    if (typeof file !== "string") return [];
    const { delimiter, quote } = source;
    return [{ path: resolve(baseDir, file), parquet: isParquet(source), delimiter: typeof delimiter === "string" ? delimiter : ",", quote: typeof quote === "string" ? quote : '"' }];
  });
}

/**
 * A pipeline whose tasks read files of neo4j-admin's format (`source: { file, format:
 * neo4j-admin }`) as the plain pipeline `graphload import` would run for them: each such task
 * becomes the node or relationship task the import translator makes of its file (a node
 * file's labels from `node.labels` and the header's :LABEL, a relationship file's type from
 * `relationship.type` or :TYPE; what the header says is a node file or a relationship file
 * by its :START_ID/:END_ID), and the ID groups its node files declare get the import's first
 * and last stages around the pipeline's own. Issues carry the paths of the document as
 * written; `stageShift` is how many stages were put before its own (issues found in the
 * result must be moved back by it).
 */
export function expandAdminFormat(document: RawPipeline, headers: AdminHeaders | undefined, baseDir: string): { document: RawPipeline; issues: ValidationIssue[]; stageShift: number } {
  const found = adminSources(document);
  if (found.length === 0) return { document, issues: [], stageShift: 0 };
  const issues: ValidationIssue[] = [];
  const groups = new Set<string>();
  const stages = (document.stages ?? []).map((stage) => (isObject(stage) && Array.isArray(stage.tasks) ? { ...stage, tasks: [...stage.tasks] } : stage)) as RawStage[];
  for (const { task, source, path, stage, index } of found) {
    const compiled = compileTask(task, source, path, headers, baseDir, issues);
    if (!compiled) continue;
    if (compiled.group !== undefined) groups.add(compiled.group);
    stages[stage].tasks![index] = compiled.task;
  }
  if (issues.length > 0) return { document, issues, stageShift: 0 };
  const { before, after } = importIdStages(groups);
  return { document: { ...document, stages: [...before, ...stages, ...after] }, issues, stageShift: before.length };
}

function compileTask(task: RawTask, source: RawSource & Record<string, unknown>, path: string, headers: AdminHeaders | undefined, baseDir: string, issues: ValidationIssue[]): { task: RawTask; group?: string } | undefined {
  const count = issues.length;
  const issue = (at: string, code: ValidationIssue["code"], message: string): void => void issues.push({ path: at, code, message });
  for (const key of Object.keys(source)) {
    if (!SOURCE_KEYS.has(key)) issue(`${path}.source.${key}`, "GL_NOT_APPLICABLE", `"${key}" does not apply to format neo4j-admin, whose header names and types the columns`);
  }
  for (const key of Object.keys(task)) {
    if (!TASK_KEYS.has(key)) issue(`${path}.${key}`, "GL_NOT_APPLICABLE", `"${key}" does not apply to a task of format neo4j-admin: its rows are created as neo4j-admin creates them`);
  }
  const parquet = isParquet(source);
  const named = typeof source.file === "string" ? "file" : typeof source.files === "string" ? "files" : undefined;
  if (!named) issue(`${path}.source`, "GL_NOT_APPLICABLE", 'format neo4j-admin reads files: give "file" (or "files" with a "headerFile")');
  else if (parquet && named === "files") issue(`${path}.source.files`, "GL_NOT_APPLICABLE", 'Parquet files of neo4j-admin\'s format each name their own columns: give one task per "file"');
  else if (named === "files" && typeof source.headerFile !== "string") issue(`${path}.source.headerFile`, "GL_ADMIN_HEADER", 'with "files", name the header file with "headerFile" (the data files then have no header line)');
  if (parquet && source.headerFile !== undefined) issue(`${path}.source.headerFile`, "GL_NOT_APPLICABLE", "a Parquet file's column names are its header");
  if (source.idType !== undefined && !(typeof source.idType === "string" && Object.hasOwn(ID_TYPES, source.idType))) issue(`${path}.source.idType`, "GL_NOT_APPLICABLE", 'idType is "string" (the default), "integer" or "actual", as neo4j-admin\'s --id-type');
  if (source.arrayDelimiter !== undefined && (typeof source.arrayDelimiter !== "string" || source.arrayDelimiter.length !== 1)) issue(`${path}.source.arrayDelimiter`, "GL_NOT_APPLICABLE", "arrayDelimiter is one character (default ;)");
  if (issues.length > count) return undefined;

  const file = headerPath(source) as string;
  const headerAt = `${path}.source.${source.headerFile !== undefined ? "headerFile" : "file"}`;
  const header = headers?.get(resolve(baseDir, file));
  if (header === undefined) {
    issue(`${path}.source`, "GL_NOT_APPLICABLE", "format neo4j-admin reads its header from the file: load the pipeline from a file (graphload run, loadPipeline)");
    return undefined;
  }
  if (header instanceof GraphloadError) {
    issue(headerAt, issueCode(header), header.message);
    return undefined;
  }
  const kind: AdminFileKind = header.some((field) => /:(START|END)_ID\b/i.test(field)) ? "relationships" : "nodes";
  let columns: AdminColumn[];
  try {
    columns = parseAdminHeader(header, kind, file);
  } catch (error) {
    if (!(error instanceof GraphloadError)) throw error;
    issue(headerAt, issueCode(error), error.message);
    return undefined;
  }
  const names = namesOf(task, kind, path, file, issue);
  if (names === undefined) return undefined;
  const options: AdminReadOptions = {
    arrayDelimiter: typeof source.arrayDelimiter === "string" ? source.arrayDelimiter : ";",
    idType: ID_TYPES[(source.idType as string | undefined) ?? "string"],
    inputType: parquet ? "parquet" : "csv",
  };
  const compiledSource = parquet ? { file: source.file, format: "parquet" } : csvSource(source, named!, columns);
  const { name, where, batchSize, concurrency, strategy } = task;
  const settings = { ...(where !== undefined ? { where } : {}), ...(batchSize !== undefined ? { batchSize } : {}), ...(concurrency !== undefined ? { concurrency } : {}), ...(strategy !== undefined ? { strategy } : {}), mode: "create" as const, nullValues: [""] };
  try {
    const built = kind === "nodes" ? adminNodeTask(names, columns, options, name!, compiledSource) : adminRelationshipTask(names, columns, options, name!, compiledSource);
    return { task: { ...built, ...settings }, group: kind === "nodes" ? idGroupOf(columns) : undefined };
  } catch (error) {
    if (!(error instanceof GraphloadError)) throw error;
    issue(`${path}.relationship.type`, issueCode(error), error.message);
    return undefined;
  }
}

/** A header's error as a validation issue's code: graphload's own, never a server's. */
function issueCode(error: GraphloadError): ValidationIssue["code"] {
  return error.code.startsWith("GL_") ? (error.code as ValidationIssue["code"]) : "GL_READ_FAILED";
}

function csvSource(source: RawSource & Record<string, unknown>, named: "file" | "files", columns: readonly AdminColumn[]): RawSource {
  return {
    [named]: source[named],
    format: "csv",
    ...(source.delimiter !== undefined ? { delimiter: source.delimiter } : {}),
    ...(source.quote !== undefined ? { quote: source.quote } : {}),
    ...(source.gzip !== undefined ? { gzip: source.gzip } : {}),
    ...(source.trim !== undefined ? { trim: source.trim } : {}),
    ...(source.incremental !== undefined ? { incremental: source.incremental } : {}),
    // With a header file apart, the data files are data only, as neo4j-admin reads them.
    header: source.headerFile === undefined,
    columns: columns.map((column) => column.column),
  };
}

/** `node.labels` of a node file or `relationship.type` of a relationship file: all the task says of its target. */
function namesOf(task: RawTask, kind: AdminFileKind, path: string, file: string, issue: (at: string, code: ValidationIssue["code"], message: string) => void): string[] | undefined {
  const wanted = kind === "nodes" ? "node" : "relationship";
  const other = kind === "nodes" ? "relationship" : "node";
  if (task[other] !== undefined) {
    issue(`${path}.${other}`, "GL_ADMIN_HEADER", `${file} is a ${kind === "nodes" ? "node file (no :START_ID/:END_ID in its header)" : "relationship file (:START_ID/:END_ID in its header)"}: write "${wanted}" or nothing`);
    return undefined;
  }
  const target = task[wanted] as Record<string, unknown> | undefined;
  if (target === undefined) return [];
  if (!isObject(target)) {
    issue(`${path}.${wanted}`, "GL_NOT_APPLICABLE", `"${wanted}" is a map`);
    return undefined;
  }
  const allowed = kind === "nodes" ? "labels" : "type";
  let ok = true;
  for (const key of Object.keys(target)) {
    if (key !== allowed) {
      issue(`${path}.${wanted}.${key}`, "GL_NOT_APPLICABLE", `the header of ${file} gives the ${kind === "nodes" ? "ID and properties" : "endpoints and properties"}; only "${allowed}" applies`);
      ok = false;
    }
  }
  const value = target[allowed];
  if (kind === "nodes" && value !== undefined && !(Array.isArray(value) && value.every((label) => typeof label === "string"))) {
    issue(`${path}.node.labels`, "GL_NOT_APPLICABLE", "labels of a neo4j-admin node file are a list of names (the header's :LABEL adds the row's own)");
    ok = false;
  }
  if (kind === "relationships" && value !== undefined && typeof value !== "string") {
    issue(`${path}.relationship.type`, "GL_NOT_APPLICABLE", "the type of a neo4j-admin relationship file is a name (a :TYPE column gives the row's own)");
    ok = false;
  }
  if (!ok) return undefined;
  return value === undefined ? [] : kind === "nodes" ? (value as string[]) : [value as string];
}
