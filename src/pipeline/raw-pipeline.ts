/**
 * The pipeline document as written by the user, after `${VAR}` interpolation. Fields are
 * typed loosely: rules run on documents that may also have failed the schema check.
 */
export type RawFieldMapping =
  | string
  | { column?: string; columns?: Record<string, string>; crs?: string; type?: string; format?: string; arrayDelimiter?: string; timezone?: string; default?: unknown };

/** A label or relationship type: a name, or `{ column, values }` to take it from a column. */
export type RawName = string | { column?: string; values?: Record<string, string>; arrayDelimiter?: string };

/** A `where` condition: exactly one operator, with `column` for those that test a column. */
export interface RawWhere {
  column?: string;
  equals?: unknown;
  in?: unknown[];
  notIn?: unknown[];
  isNull?: boolean;
  matches?: string;
  all?: RawWhere[];
  any?: RawWhere[];
  not?: RawWhere;
}

export interface RawSettings {
  batchSize?: number | "auto";
  concurrency?: number;
  mode?: "merge" | "create";
  nullValues?: string[];
}

export interface RawSource {
  file?: string;
  files?: string;
  incremental?: boolean;
  stdin?: true;
  format?: string;
  gzip?: boolean;
  delimiter?: string;
  quote?: string;
  header?: boolean;
  columns?: string[];
  trim?: boolean;
  decimal?: "float" | "string";
  /** format neo4j-admin only (admin-import/admin-format-tasks.ts compiles such tasks away). */
  headerFile?: string;
  arrayDelimiter?: string;
  idType?: string;
  neo4j?: { uri?: string; user?: string; password?: string; database?: string; query?: string; fetchSize?: number; keyset?: RawKeyset; incremental?: RawIncremental };
  postgres?: RawSqlSource;
  mysql?: RawSqlSource;
  inline?: { header?: string[]; data?: unknown[][] };
}

export interface RawSqlSource {
  url?: string;
  query?: string;
  fetchSize?: number;
  keyset?: RawKeyset;
  incremental?: RawIncremental;
  decimal?: "float" | "string";
}

export interface RawKeyset {
  column?: string;
  after?: number | string;
  page?: number;
}

export interface RawIncremental {
  column?: string;
  initial?: number | string;
}

export interface RawEndpoint {
  label?: string;
  key?: Record<string, RawFieldMapping>;
  merge?: boolean;
  onCreate?: Record<string, RawFieldMapping>;
}

export interface RawNode {
  labels?: RawName[];
  key?: string[];
  properties?: Record<string, RawFieldMapping>;
  onCreate?: Record<string, RawFieldMapping>;
  allColumns?: boolean;
  exclude?: string[];
}

export interface RawRelationship {
  type?: RawName;
  from?: RawEndpoint;
  to?: RawEndpoint;
  key?: string[];
  properties?: Record<string, RawFieldMapping>;
  onCreate?: Record<string, RawFieldMapping>;
  allColumns?: boolean;
  exclude?: string[];
}

export interface RawTask extends RawSettings {
  name?: string;
  source?: RawSource;
  where?: RawWhere;
  node?: RawNode;
  relationship?: RawRelationship;
  cypher?: string;
  strategy?: "parallel" | "serial" | "mix-and-batch";
}

export interface RawStage {
  name?: string;
  statements?: string[];
  tasks?: RawTask[];
}

export interface RawPipeline {
  version?: number;
  name?: string;
  neo4j?: { uri?: string; database?: string; user?: string; password?: string };
  defaults?: RawSettings;
  schema?: { create?: boolean };
  stages?: RawStage[];
}

/** Every task of the document with its JSONPath, skipping stages whose shape is broken. */
export function* tasksOf(document: RawPipeline): Generator<{ task: RawTask; path: string; stageIndex: number }> {
  const stages = Array.isArray(document.stages) ? document.stages : [];
  for (const [stageIndex, stage] of stages.entries()) {
    if (!isObject(stage) || !Array.isArray(stage.tasks)) continue;
    for (const [taskIndex, task] of stage.tasks.entries()) {
      if (isObject(task)) yield { task, path: `$.stages[${stageIndex}].tasks[${taskIndex}]`, stageIndex };
    }
  }
}

/**
 * Every property map of a task (properties, onCreate, endpoint keys, endpoint onCreate)
 * that is a map, with its JSONPath: what rules about single fields look at.
 */
export function* fieldMapsOf(task: RawTask, path: string): Generator<{ map: Record<string, RawFieldMapping>; path: string }> {
  const maps: Array<[unknown, string]> = [];
  if (isObject(task.node)) maps.push([task.node.properties, `${path}.node.properties`], [task.node.onCreate, `${path}.node.onCreate`]);
  const rel = task.relationship;
  if (isObject(rel)) {
    maps.push([rel.properties, `${path}.relationship.properties`], [rel.onCreate, `${path}.relationship.onCreate`]);
    for (const end of ["from", "to"] as const) {
      const endpoint = rel[end];
      if (isObject(endpoint)) maps.push([endpoint.key, `${path}.relationship.${end}.key`], [endpoint.onCreate, `${path}.relationship.${end}.onCreate`]);
    }
  }
  for (const [map, mapPath] of maps) if (isObject(map)) yield { map: map as Record<string, RawFieldMapping>, path: mapPath };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

