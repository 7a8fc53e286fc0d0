import { resolve } from "node:path";
import { detectFormat } from "./source-format.js";
import type {
  CsvOptions,
  EndpointRef,
  FieldMapping,
  Keyset,
  Pipeline,
  ScalarType,
  SourceFormat,
  SourceSpec,
  Stage,
  Strategy,
  Task,
  TaskSettings,
  TaskTarget,
  ValueType,
} from "./pipeline.js";
import { tasksOf, type RawFieldMapping, type RawKeyset, type RawPipeline, type RawSettings, type RawSource, type RawTask } from "./raw-pipeline.js";

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
  return { name: document.name!, file: options.file, neo4j: { ...document.neo4j }, defaults, stages };
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
  };
}

/** Rows a database source asks its server for at a time, unless the pipeline says. */
const DEFAULT_FETCH_SIZE = 1000;

const DEFAULT_PAGE = 10_000;

function keysetOf(raw: RawKeyset | undefined): Keyset | undefined {
  return raw && { column: raw.column!, after: raw.after!, page: raw.page ?? DEFAULT_PAGE };
}

function normalizeSource(source: RawSource, baseDir: string): SourceSpec {
  if (source.neo4j) {
    const { uri, user, password, database, query, fetchSize, keyset } = source.neo4j;
    return { kind: "neo4j", uri: uri!, user, password, database, query: query!, fetchSize: fetchSize ?? DEFAULT_FETCH_SIZE, keyset: keysetOf(keyset) };
  }
  if (source.inline) return { kind: "inline", header: source.inline.header!, data: source.inline.data! };
  if (source.postgres) {
    const { url, query, fetchSize, keyset } = source.postgres;
    return { kind: "postgres", url: url!, query: query!, fetchSize: fetchSize ?? DEFAULT_FETCH_SIZE, keyset: keysetOf(keyset) };
  }
  const detected = source.file ? detectFormat(source.file) : undefined;
  const format: SourceFormat = source.format === "ndjson" ? "jsonl" : ((source.format as SourceFormat | undefined) ?? detected!.format);
  const gzip = source.gzip ?? detected?.gzip ?? false;
  const csv: CsvOptions = {
    delimiter: source.delimiter ?? (format === "tsv" ? "\t" : ","),
    quote: source.quote ?? '"',
    header: source.header ?? true,
    columns: source.columns,
  };
  return source.file ? { kind: "file", path: resolve(baseDir, source.file), format, gzip, csv } : { kind: "stdin", format, gzip, csv };
}

function normalizeTarget(task: RawTask, keyTypes: KeyTypes): TaskTarget {
  if (task.node) {
    const properties = task.node.properties ?? {};
    const keyNames = task.node.key!;
    return {
      kind: "node",
      labels: task.node.labels!,
      key: keyNames.map((property) => fieldMapping(property, properties[property] ?? property)),
      properties: Object.entries(properties)
        .filter(([property]) => !keyNames.includes(property))
        .map(([property, mapping]) => fieldMapping(property, mapping)),
    };
  }
  if (task.relationship) {
    const rel = task.relationship;
    const endpoint = (end: "from" | "to"): EndpointRef => ({
      label: rel[end]!.label!,
      key: Object.entries(rel[end]!.key!).map(([property, mapping]) =>
        fieldMapping(property, mapping, typeof mapping === "string" ? keyTypes.get(`${rel[end]!.label}\u0000${property}`) : undefined),
      ),
    });
    return {
      kind: "relationship",
      type: rel.type!,
      from: endpoint("from"),
      to: endpoint("to"),
      properties: Object.entries(rel.properties ?? {}).map(([property, mapping]) => fieldMapping(property, mapping)),
    };
  }
  return { kind: "cypher", cypher: task.cypher! };
}

function fieldMapping(property: string, mapping: RawFieldMapping, inherited?: FieldMapping): FieldMapping {
  if (typeof mapping === "string") {
    return inherited ? { ...inherited, property, column: mapping } : { property, column: mapping, arrayDelimiter: DEFAULT_ARRAY_DELIMITER };
  }
  return {
    property,
    column: mapping.column!,
    type: mapping.type ? parseValueType(mapping.type) : undefined,
    format: mapping.format,
    arrayDelimiter: mapping.arrayDelimiter ?? DEFAULT_ARRAY_DELIMITER,
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
      for (const label of node.labels) types.set(`${label}\u0000${property}`, fieldMapping(property, mapping));
    }
  }
  return types;
}
