import { resolve } from "node:path";
import { fileNameOf, isRemote } from "../input/input-location.js";
import { detectFormat } from "../model/source-format.js";
import type {
  AllColumns,
  CsvOptions,
  EndpointRef,
  FieldMapping,
  Keyset,
  NameFromColumn,
  Pipeline,
  ScalarType,
  SourceFormat,
  SourceSpec,
  SqlSource,
  Stage,
  Strategy,
  Task,
  TaskSettings,
  TaskTarget,
  ValueType,
  WhereCondition,
  WhereValue,
} from "../model/pipeline.js";
import {
  tasksOf,
  type RawFieldMapping,
  type RawKeyset,
  type RawName,
  type RawPipeline,
  type RawSettings,
  type RawSource,
  type RawSqlSource,
  type RawTask,
  type RawWhere,
} from "./raw-pipeline.js";
import { incrementalOf } from "./incremental-source.js";

export const BUILT_IN_DEFAULTS: TaskSettings = { batchSize: 5000, concurrency: 4, mode: "merge", nullValues: [""] };
const DEFAULT_ARRAY_DELIMITER = ";";
/** Measured fastest, without a failed batch, in bench/RESULTS.md. */
const RELATIONSHIP_STRATEGY: Strategy = "parallel";

/** Turns a document that passed validation into the resolved pipeline model. */
export function normalizePipeline(document: RawPipeline, options: { file?: string; baseDir: string }): Pipeline {
  const defaults = settingsOf(document.defaults, BUILT_IN_DEFAULTS);
  const keyTypes = nodeKeyTypes(document);
  const stages: Stage[] = (document.stages ?? []).map((stage) =>
    stage.statements
      ? { kind: "statements", name: stage.name!, statements: stage.statements }
      : { kind: "tasks", name: stage.name!, tasks: (stage.tasks ?? []).map((task) => normalizeTask(task, defaults, keyTypes, options.baseDir)) },
  );
  return { name: document.name!, file: options.file, neo4j: { ...document.neo4j }, defaults, schema: { create: document.schema?.create ?? true }, stages };
}

function settingsOf(raw: RawSettings | undefined, base: TaskSettings): TaskSettings {
  return {
    batchSize: raw?.batchSize ?? base.batchSize,
    concurrency: raw?.concurrency ?? base.concurrency,
    mode: raw?.mode ?? base.mode,
    nullValues: raw?.nullValues ?? base.nullValues,
  };
}

function normalizeTask(task: RawTask, defaults: TaskSettings, keyTypes: KeyTypes, baseDir: string): Task {
  return {
    name: task.name!,
    source: normalizeSource(task.source!, baseDir),
    target: normalizeTarget(task, keyTypes),
    settings: settingsOf(task, defaults),
    strategy: task.strategy ?? (task.relationship ? RELATIONSHIP_STRATEGY : "parallel"),
    ...(task.where ? { where: whereOf(task.where) } : {}),
  };
}

/** Rows a database source asks its server for at a time, unless the pipeline says. */
const DEFAULT_FETCH_SIZE = 1000;

const DEFAULT_PAGE = 10_000;

function keysetOf(raw: RawKeyset | undefined): Keyset | undefined {
  return raw && { column: raw.column!, after: raw.after!, page: raw.page ?? DEFAULT_PAGE };
}

function sqlSource<Kind extends "postgres" | "mysql">(kind: Kind, { url, query, fetchSize, keyset, incremental, decimal }: RawSqlSource): SqlSource<Kind> {
  return {
    kind,
    url: url!,
    query: query!,
    fetchSize: fetchSize ?? DEFAULT_FETCH_SIZE,
    keyset: keysetOf(keyset),
    incremental: incrementalOf(incremental),
    decimal: decimal ?? "float",
  };
}

function normalizeSource(source: RawSource, baseDir: string): SourceSpec {
  if (source.neo4j) {
    const { uri, user, password, database, query, fetchSize, keyset, incremental } = source.neo4j;
    return {
      kind: "neo4j",
      uri: uri!,
      user,
      password,
      database,
      query: query!,
      fetchSize: fetchSize ?? DEFAULT_FETCH_SIZE,
      keyset: keysetOf(keyset),
      incremental: incrementalOf(incremental),
    };
  }
  if (source.inline) return { kind: "inline", header: source.inline.header!, data: source.inline.data! };
  if (source.postgres) return sqlSource("postgres", source.postgres);
  if (source.mysql) return sqlSource("mysql", source.mysql);
  const named = source.file ?? source.files;
  const detected = named === undefined ? undefined : detectFormat(fileNameOf(named));
  const format: SourceFormat = source.format === "ndjson" ? "jsonl" : ((source.format as SourceFormat | undefined) ?? detected!.format);
  const csv: CsvOptions = {
    delimiter: source.delimiter ?? (format === "tsv" ? "\t" : ","),
    quote: source.quote ?? '"',
    header: source.header ?? true,
    columns: source.columns,
    ...(source.trim ? { trim: true } : {}),
  };
  if (source.files !== undefined) {
    return { kind: "files", glob: source.files, baseDir, format, ...(source.gzip === undefined ? {} : { gzip: source.gzip }), csv, incremental: source.incremental ?? false, decimal: source.decimal ?? "float" };
  }
  const gzip = source.gzip ?? detected?.gzip ?? false;
  if (source.file === undefined) return { kind: "stdin", format, gzip, csv };
  return { kind: "file", path: isRemote(source.file) ? source.file : resolve(baseDir, source.file), format, gzip, csv, decimal: source.decimal ?? "float" };
}

function normalizeTarget(task: RawTask, keyTypes: KeyTypes): TaskTarget {
  if (task.node) {
    const node = task.node;
    const properties = node.properties ?? {};
    const keyNames = node.key!;
    const labels = node.labels!;
    return {
      kind: "node",
      labels: labels.filter((label): label is string => typeof label === "string"),
      labelColumns: labels.filter((label) => typeof label !== "string").map(nameFromColumn),
      key: keyNames.map((property) => fieldMapping(property, properties[property] ?? property)),
      properties: fieldsOf(properties, keyNames),
      onCreate: fieldsOf(node.onCreate),
      ...allColumnsOf(node),
    };
  }
  if (task.relationship) {
    const rel = task.relationship;
    const endpoint = (end: "from" | "to"): EndpointRef => ({
      label: rel[end]!.label!,
      key: Object.entries(rel[end]!.key!).map(([property, mapping]) =>
        fieldMapping(property, mapping, typeof mapping === "string" ? keyTypes.get(`${rel[end]!.label}\u0000${property}`) : undefined),
      ),
      merge: rel[end]!.merge ?? false,
      onCreate: fieldsOf(rel[end]!.onCreate),
    });
    const keyNames = rel.key ?? [];
    const mapped = { ...rel.onCreate, ...rel.properties };
    return {
      kind: "relationship",
      type: typeof rel.type === "string" ? rel.type : nameFromColumn(rel.type!),
      from: endpoint("from"),
      to: endpoint("to"),
      key: keyNames.map((property) => fieldMapping(property, mapped[property]!)),
      properties: fieldsOf(rel.properties, keyNames),
      onCreate: fieldsOf(rel.onCreate, keyNames),
      ...allColumnsOf(rel),
    };
  }
  return { kind: "cypher", cypher: task.cypher! };
}

/** The fields of a property map, in the file's order, leaving out those named in `except`. */
function fieldsOf(map: Record<string, RawFieldMapping> | undefined, except: readonly string[] = []): FieldMapping[] {
  return Object.entries(map ?? {})
    .filter(([property]) => !except.includes(property))
    .map(([property, mapping]) => fieldMapping(property, mapping));
}

function nameFromColumn(raw: RawName): NameFromColumn {
  const { column, values, arrayDelimiter } = raw as { column: string; values?: Record<string, string>; arrayDelimiter?: string };
  return { column, ...(values ? { values } : {}), ...(arrayDelimiter !== undefined ? { arrayDelimiter } : {}) };
}

function allColumnsOf(raw: { allColumns?: boolean; exclude?: string[] }): { allColumns?: AllColumns } {
  return raw.allColumns ? { allColumns: { exclude: raw.exclude ?? [] } } : {};
}

function whereOf(raw: RawWhere): WhereCondition {
  if (raw.all) return { kind: "all", conditions: raw.all.map(whereOf) };
  if (raw.any) return { kind: "any", conditions: raw.any.map(whereOf) };
  if (raw.not) return { kind: "not", condition: whereOf(raw.not) };
  const column = raw.column!;
  if (raw.in) return { kind: "in", column, values: raw.in as WhereValue[] };
  if (raw.notIn) return { kind: "notIn", column, values: raw.notIn as WhereValue[] };
  if (raw.isNull !== undefined) return { kind: "isNull", column, value: raw.isNull };
  if (raw.matches !== undefined) return { kind: "matches", column, pattern: raw.matches };
  return { kind: "equals", column, value: raw.equals as WhereValue };
}

const POINT_TYPE = { scalar: "point", list: false } as const;

function fieldMapping(property: string, mapping: RawFieldMapping, inherited?: FieldMapping): FieldMapping {
  if (typeof mapping === "string") {
    if (!inherited) return { property, column: mapping, arrayDelimiter: DEFAULT_ARRAY_DELIMITER };
    // A node's key may be a point made of several columns; an endpoint's shorthand still reads one.
    const { type, format, arrayDelimiter } = "columns" in inherited ? { ...inherited, format: undefined, arrayDelimiter: DEFAULT_ARRAY_DELIMITER } : inherited;
    return { property, column: mapping, type, format, arrayDelimiter };
  }
  const fallback = "default" in mapping ? { default: mapping.default } : {};
  if (mapping.columns) {
    return { property, columns: mapping.columns, ...(mapping.crs ? { crs: mapping.crs } : {}), type: POINT_TYPE, ...fallback };
  }
  return {
    property,
    column: mapping.column!,
    type: mapping.type ? parseValueType(mapping.type) : undefined,
    format: mapping.format,
    arrayDelimiter: mapping.arrayDelimiter ?? DEFAULT_ARRAY_DELIMITER,
    ...(mapping.timezone !== undefined ? { timezone: mapping.timezone } : {}),
    ...fallback,
  };
}

export function parseValueType(text: string): ValueType {
  const list = text.endsWith("[]");
  return { scalar: (list ? text.slice(0, -2) : text) as ScalarType, list };
}

/**
 * Types that node tasks give their key properties, by label and property, so that a
 * relationship endpoint written in shorthand matches the nodes it points at.
 */
type KeyTypes = Map<string, FieldMapping>;

function nodeKeyTypes(document: RawPipeline): KeyTypes {
  const types: KeyTypes = new Map();
  for (const { task } of tasksOf(document)) {
    const node = task.node;
    if (!node?.labels || !node.key) continue;
    for (const property of node.key) {
      const mapping = node.properties?.[property];
      if (typeof mapping !== "object" || !mapping.type) continue;
      for (const label of node.labels) if (typeof label === "string") types.set(`${label}\u0000${property}`, fieldMapping(property, mapping));
    }
  }
  return types;
}
