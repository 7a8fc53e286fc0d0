import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { fileNameOf, isRemote, parseLocation } from "../input/input-location.js";
import { detectFormat } from "../model/source-format.js";
import { identifierProblem } from "./identifier.js";
import { incrementalSources } from "./incremental-source.js";
import { MAPPING_RULES } from "./mapping-rules.js";
import type { PipelineRule, RuleContext } from "./pipeline-rule.js";
import { fieldMapsOf, isObject, tasksOf, type RawFieldMapping, type RawSource } from "./raw-pipeline.js";
import { childPath, type ValidationIssue } from "../model/validation-issue.js";

const TEMPORAL = new Set(["date", "datetime", "localdatetime", "time", "localtime"]);

export const stageKind: PipelineRule = (document) =>
  (Array.isArray(document.stages) ? document.stages : []).flatMap((stage, index) => {
    if (!isObject(stage)) return [];
    const kinds = ["tasks", "statements"].filter((key) => key in stage);
    return kinds.length === 1
      ? []
      : [{ path: `$.stages[${index}]`, code: "GL_STAGE_KIND", message: 'a stage has either "tasks" or "statements", exactly one of them' }];
  });

export const taskKind: PipelineRule = (document) =>
  [...tasksOf(document)].flatMap(({ task, path }) => {
    const kinds = ["node", "relationship", "cypher"].filter((key) => key in task);
    return kinds.length === 1
      ? []
      : [{ path, code: "GL_TASK_KIND", message: `a task writes exactly one of "node", "relationship" or "cypher"${kinds.length ? `, not ${kinds.join(" and ")}` : ""}` }];
  });

/** Stage and task names identify checkpoints and summary entries, so each must be unique. */
export const uniqueNames: PipelineRule = (document) => {
  const issues: ValidationIssue[] = [];
  const seen = (names: Array<{ name: unknown; path: string }>, what: string): void => {
    const first = new Map<string, string>();
    for (const { name, path } of names) {
      if (typeof name !== "string") continue;
      const earlier = first.get(name);
      if (earlier) issues.push({ path, code: "GL_DUPLICATE_NAME", message: `${what} name "${name}" is already used at ${earlier}` });
      else first.set(name, path);
    }
  };
  const stages = Array.isArray(document.stages) ? document.stages : [];
  seen(stages.map((stage, index) => ({ name: isObject(stage) ? stage.name : undefined, path: `$.stages[${index}].name` })), "stage");
  seen([...tasksOf(document)].map(({ task, path }) => ({ name: task.name, path: `${path}.name` })), "task");
  return issues;
};

/** Labels, types and property names, including those a `values` map gives cells (identifier.ts). */
export const identifiers: PipelineRule = (document) => {
  const issues: ValidationIssue[] = [];
  const check = (value: unknown, path: string, what: string): void => {
    if (typeof value !== "string") return;
    const problem = identifierProblem(value, what);
    if (problem) issues.push({ path, code: "GL_INVALID_IDENTIFIER", message: problem });
  };
  const checkName = (value: unknown, path: string, what: string): void => {
    if (!isObject(value)) return check(value, path, what);
    if (isObject(value.values)) for (const [cell, name] of Object.entries(value.values)) check(name, childPath(`${path}.values`, cell), what);
  };
  const checkKeys = (map: unknown, path: string): void => {
    if (isObject(map)) for (const key of Object.keys(map)) check(key, childPath(path, key), "property name");
  };
  for (const { task, path } of tasksOf(document)) {
    const node = task.node;
    if (isObject(node)) {
      if (Array.isArray(node.labels)) node.labels.forEach((label, i) => checkName(label, `${path}.node.labels[${i}]`, "label"));
      if (Array.isArray(node.key)) node.key.forEach((key, i) => check(key, `${path}.node.key[${i}]`, "key property"));
    }
    const rel = task.relationship;
    if (isObject(rel)) {
      checkName(rel.type, `${path}.relationship.type`, "relationship type");
      for (const end of ["from", "to"] as const) {
        const endpoint = rel[end];
        if (isObject(endpoint)) check(endpoint.label, `${path}.relationship.${end}.label`, "label");
      }
    }
    for (const { map, path: mapPath } of fieldMapsOf(task, path)) checkKeys(map, mapPath);
  }
  return issues;
};

export const nodeKey: PipelineRule = (document) =>
  [...tasksOf(document)].flatMap(({ task, path }): ValidationIssue[] => {
    const key = task.node?.key;
    if (!Array.isArray(key)) return [];
    // A node without a key can be created, never merged: nothing would say which node it is.
    if (key.length === 0 && (task.mode ?? document.defaults?.mode ?? "merge") !== "create") {
      return [{ path: `${path}.node.key`, code: "GL_MISSING_SETTING", message: 'an empty key needs mode "create"; merge mode matches nodes on their key' }];
    }
    return key.flatMap((property, index) =>
      key.indexOf(property) === index
        ? []
        : [{ path: `${path}.node.key[${index}]`, code: "GL_DUPLICATE_NAME", message: `key property "${property}" is listed twice` }],
    );
  });

export const sourceSettings: PipelineRule = (document, context) => {
  const issues: ValidationIssue[] = [];
  // Tasks of one stage reading the same source share one read of it (the engine's
  // read-sources.ts); standard input can only be read by one stage, the same way.
  let stdin: { path: string; stage: number; source: string } | undefined;
  for (const { task, path: taskPath, stageIndex: stage } of tasksOf(document)) {
    const source = task.source;
    if (!isObject(source)) continue;
    const path = `${taskPath}.source`;
    const kinds = ["file", "files", "stdin", "neo4j", "postgres", "mysql", "inline"].filter((key) => key in source);
    if (kinds.length !== 1) {
      issues.push({ path, code: "GL_SOURCE_KIND", message: 'a source is "file", "files", "stdin", "neo4j", "postgres", "mysql" or "inline", exactly one of them' });
      continue;
    }
    if ("incremental" in source && !("files" in source)) {
      issues.push({ path: `${path}.incremental`, code: "GL_NOT_APPLICABLE", message: '"incremental: true" applies to "files"; a database source takes "incremental" inside its own block' });
    }
    if (source.neo4j || source.postgres || source.mysql || source.inline) {
      for (const key of ["format", "gzip", "delimiter", "quote", "header", "columns", "trim", "decimal"] as const) {
        if (key in source) issues.push({ path: `${path}.${key}`, code: "GL_NOT_APPLICABLE", message: `"${key}" applies to files and standard input only` });
      }
      continue;
    }
    if (source.stdin) {
      const same = stdin && stdin.stage === stage && stdin.source === JSON.stringify(source);
      if (stdin && !same) {
        issues.push({ path, code: "GL_STDIN_TWICE", message: `standard input is read once: only tasks of one stage with the same source settings can share it; ${stdin.path} reads it already` });
      }
      stdin ??= { path, stage, source: JSON.stringify(source) };
    }
    issues.push(...checkFormat(source as RawSource, path, context));
  }
  return issues;
};

function checkFormat(source: RawSource, path: string, context: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  let format = source.format;
  const named = typeof source.file === "string" ? "file" : typeof source.files === "string" ? "files" : undefined;
  if (named) {
    const location = source[named]!;
    if (named === "file" && !isRemote(location)) {
      const file = resolve(context.baseDir, location);
      if (!existsSync(file) || !statSync(file).isFile()) {
        issues.push({ path: `${path}.file`, code: "GL_FILE_NOT_FOUND", message: `no file at ${file}` });
      }
    }
    if (named === "files" && parseLocation(location).kind === "http") {
      issues.push({ path: `${path}.files`, code: "GL_NOT_APPLICABLE", message: 'a web server cannot be listed: name each of its files with "file"' });
    }
    format ??= detectFormat(fileNameOf(location))?.format;
    if (!format) {
      issues.push({
        path: `${path}.${named}`,
        code: "GL_UNKNOWN_FORMAT",
        message: `cannot tell the format from the ${named === "file" ? "file name" : "glob"}; name it with "format: csv | tsv | jsonl | parquet"`,
      });
    }
  } else if (source.stdin && !format) {
    issues.push({ path, code: "GL_UNKNOWN_FORMAT", message: 'standard input needs "format: csv | tsv | jsonl"' });
  }
  if (format === "parquet") {
    if (source.stdin) {
      issues.push({ path: `${path}.format`, code: "GL_NOT_APPLICABLE", message: "Parquet is read from a file (its footer first, then by byte ranges), not from standard input; save it to a file" });
    }
    if (named && isRemote(source[named]!)) {
      issues.push({ path: `${path}.${named}`, code: "GL_NOT_APPLICABLE", message: "Parquet is read by byte ranges from local files only; download it first" });
    }
    for (const key of ["gzip", "delimiter", "quote", "header", "columns", "trim"] as const) {
      if (key in source) issues.push({ path: `${path}.${key}`, code: "GL_NOT_APPLICABLE", message: `"${key}" does not apply to Parquet, which names, types and compresses its columns itself` });
    }
    return issues;
  }
  for (const key of ["headerFile", "arrayDelimiter", "idType"] as const) {
    if (key in source) issues.push({ path: `${path}.${key}`, code: "GL_NOT_APPLICABLE", message: `"${key}" applies to format neo4j-admin only` });
  }
  if ("decimal" in source) issues.push({ path: `${path}.decimal`, code: "GL_NOT_APPLICABLE", message: '"decimal" applies to Parquet files only (a SQL source takes it inside its own block)' });
  if (format === "jsonl" || format === "ndjson") {
    for (const key of ["delimiter", "quote", "header", "columns", "trim"] as const) {
      if (key in source) issues.push({ path: `${path}.${key}`, code: "GL_NOT_APPLICABLE", message: `"${key}" applies to CSV and TSV only` });
    }
  } else if (source.header === false && !Array.isArray(source.columns)) {
    issues.push({ path: `${path}.columns`, code: "GL_NO_COLUMNS", message: 'a file without a header needs "columns" to name its fields' });
  }
  return issues;
}

export const fieldOptions: PipelineRule = (document) => {
  const issues: ValidationIssue[] = [];
  const checkMap = (map: unknown, path: string): void => {
    if (!isObject(map)) return;
    for (const [property, mapping] of Object.entries(map as Record<string, RawFieldMapping>)) {
      if (!isObject(mapping)) continue;
      const fieldPath = childPath(path, property);
      const type = typeof mapping.type === "string" ? mapping.type : undefined;
      const scalar = type?.replace(/\[\]$/, "");
      if (mapping.format !== undefined && !(scalar && TEMPORAL.has(scalar))) {
        issues.push({ path: `${fieldPath}.format`, code: "GL_NOT_APPLICABLE", message: '"format" applies to date and time types only; give the property such a "type"' });
      }
      if (mapping.arrayDelimiter !== undefined && !type?.endsWith("[]")) {
        issues.push({ path: `${fieldPath}.arrayDelimiter`, code: "GL_NOT_APPLICABLE", message: '"arrayDelimiter" applies to list types only, such as "string[]"' });
      }
    }
  };
  for (const { task, path } of tasksOf(document)) {
    for (const { map, path: mapPath } of fieldMapsOf(task, path)) checkMap(map, mapPath);
  }
  return issues;
};

/** Mix and batch groups rows by their endpoints, which only relationship tasks name. */
export const strategyFits: PipelineRule = (document) =>
  [...tasksOf(document)].flatMap(({ task, path }) =>
    task.strategy === "mix-and-batch" && !task.relationship
      ? [{ path: `${path}.strategy`, code: "GL_STRATEGY_NEEDS_ENDPOINTS", message: 'strategy "mix-and-batch" is for relationship tasks; use "parallel" or "serial" here' }]
      : [],
  );

export const PIPELINE_RULES: readonly PipelineRule[] = [
  stageKind,
  taskKind,
  uniqueNames,
  identifiers,
  nodeKey,
  sourceSettings,
  incrementalSources,
  fieldOptions,
  strategyFits,
  ...MAPPING_RULES,
];
