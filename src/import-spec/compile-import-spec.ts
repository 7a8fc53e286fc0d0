import { basename, dirname, extname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SchemaItem, SchemaItemKind } from "../model/pipeline.js";
import type { RawEndpoint, RawFieldMapping, RawPipeline, RawStage, RawTask } from "../pipeline/raw-pipeline.js";
import type { ValidationIssue } from "../model/validation-issue.js";
import { readSecretFile } from "../secret-file.js";
import { runSpecRules, SPEC_RULES } from "./spec-rules.js";
import { dependencies, readSpec } from "./spec-view.js";

/**
 * Neo4j's import specification (github.com/neo4j/import-spec, version "1") compiled into a
 * graphload pipeline document, which then goes through the same checks and the same plan
 * as any pipeline file. Its stages become graphload stages in the order the specification
 * gives them; targets that depend on others of their kind run in a later stage. Where Neo4j
 * Community lacks what the specification asks for, the nearest thing is done and a
 * warning says so.
 */
export interface CompiledImportSpec {
  readonly document: RawPipeline;
  /** Every constraint and index of the active targets, the pipeline's `schema.declared`. */
  readonly schema: readonly SchemaItem[];
  readonly issues: readonly ValidationIssue[];
  readonly warnings: readonly string[];
}

export interface ImportSpecOptions {
  readonly file?: string;
  /** `--data-source NAME=URL` */
  readonly dataSources: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TYPES: Readonly<Record<string, string>> = {
  boolean: "boolean",
  date: "date",
  duration: "duration",
  float: "float",
  integer: "integer",
  local_datetime: "localdatetime",
  local_time: "localtime",
  point: "point",
  string: "string",
  zoned_datetime: "datetime",
  zoned_time: "time",
};

/**
 * A graphload pipeline has `stages`; an import specification has `sources` and `targets`.
 * The version is not what tells them apart: `version: 1` (a number) is a graphload
 * pipeline's and a common slip in a specification, which the specification's own check
 * then reports.
 */
export function isImportSpec(document: unknown): boolean {
  if (typeof document !== "object" || document === null || Array.isArray(document) || "stages" in document) return false;
  const spec = document as Loose;
  return "targets" in spec || "sources" in spec || spec.version === "1";
}

const WARNING_RULES = SPEC_RULES.filter((rule) => rule.severity === "warning");

const BIGQUERY =
  "graphload cannot read BigQuery. Export the query's result to CSV (EXPORT DATA … OPTIONS (format = 'CSV'), or bq extract) and read the file " +
  "with a text source (uri: the file), or copy the table into PostgreSQL and read it with a jdbc source";

export function dataSourceVariable(name: string): string {
  return `GRAPHLOAD_DATA_SOURCE_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * A `text` source: rows in the specification (`header` and `data`), or a CSV/TSV file at
 * `uri` (a path relative to the specification, or `file://`), whose columns are its first
 * line unless `header` or `ordered_field_names` name them.
 */
function textSource(source: Loose, path: string, file: string | undefined): { source: RawTask["source"] } | { issue: ValidationIssue } {
  if (typeof source.uri !== "string") return { source: { inline: { header: source.header, data: source.data ?? [] } } };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source.uri) && !source.uri.startsWith("file://")) {
    return { issue: { path: `${path}.uri`, code: "GL_UNSUPPORTED_SOURCE", message: `graphload reads local files; ${source.uri} is not one` } };
  }
  const location = source.uri.startsWith("file://") ? fileURLToPath(source.uri) : resolve(file ? dirname(file) : process.cwd(), source.uri);
  const named: string[] | undefined = Array.isArray(source.header)
    ? source.header
    : typeof source.ordered_field_names === "string"
      ? source.ordered_field_names.split(",").map((name: string) => name.trim())
      : undefined;
  const tabs = /tsv|tab/i.test(String(source.format ?? "")) || source.column_delimiter === "\t";
  return {
    source: {
      file: location,
      format: tabs ? "tsv" : "csv",
      ...(typeof source.column_delimiter === "string" && !tabs ? { delimiter: source.column_delimiter } : {}),
      ...(named ? { header: false, columns: named } : {}),
    },
  };
}

export function compileImportSpec(spec: Loose, options: ImportSpecOptions): CompiledImportSpec {
  const issues: ValidationIssue[] = [];
  const warnings: string[] = runSpecRules(readSpec(spec), WARNING_RULES).warnings.map((warning) => `${warning.path}: ${warning.message} [${warning.code}]`);
  const lower = (value: unknown): string | undefined => (typeof value === "string" ? value.toLowerCase() : undefined);

  // Sources: by name, as graphload source blocks.
  const sources = new Map<string, RawTask["source"]>();
  (Array.isArray(spec.sources) ? spec.sources : []).forEach((source: Loose, index: number) => {
    const path = `$.sources[${index}]`;
    if (lower(source.type) === "text") {
      const text = textSource(source, `${path}`, options.file);
      if ("issue" in text) issues.push(text.issue);
      else sources.set(source.name, text.source);
      return;
    }
    if (lower(source.type) === "bigquery") {
      issues.push({ path: `${path}.type`, code: "GL_UNSUPPORTED_SOURCE", message: BIGQUERY });
      return;
    }
    if (lower(source.type) !== "jdbc") {
      issues.push({ path: `${path}.type`, code: "GL_UNSUPPORTED_SOURCE", message: `source type "${source.type}" is not supported; graphload reads jdbc (PostgreSQL, MySQL, MariaDB) and text sources` });
      return;
    }
    const variable = dataSourceVariable(String(source.data_source));
    const urlFile = options.env[`${variable}_FILE`] || undefined;
    const url = options.dataSources[source.data_source] ?? (options.env[variable] || undefined) ?? (urlFile === undefined ? undefined : readSecretFile(urlFile, `${variable}_FILE`));
    if (!url) {
      issues.push({
        path: `${path}.data_source`,
        code: "GL_DATA_SOURCE_UNSET",
        message: `data source "${source.data_source}" is not set: pass --data-source ${source.data_source}=postgresql://user@host:5432/db or set ${variable} (or ${variable}_FILE to a file holding it)`,
      });
      return;
    }
    const plain = url.replace(/^jdbc:/, "");
    const kind = /^postgres(ql)?:\/\//.test(plain) ? "postgres" : /^(mysql|mariadb):\/\//.test(plain) ? "mysql" : undefined;
    if (!kind) {
      issues.push({ path: `${path}.data_source`, code: "GL_UNSUPPORTED_SOURCE", message: `data source "${source.data_source}" is ${plain.split(":")[0]}; graphload reads PostgreSQL, MySQL and MariaDB` });
      return;
    }
    sources.set(source.name, { [kind]: { url: plain, query: source.sql } });
  });

  const targets: Loose = spec.targets ?? {};
  const active = (target: Loose): boolean => target.active !== false;
  const nodes: Loose[] = (targets.nodes ?? []).filter(active);
  const relationships: Loose[] = (targets.relationships ?? []).filter(active);
  const queries: Loose[] = (targets.queries ?? []).filter(active);
  // Paths name a target's place among all targets of its kind, inactive ones included.
  const pathOf = (kind: "nodes" | "relationships" | "queries", target: Loose): string => `$.targets.${kind}[${(targets[kind] as Loose[]).indexOf(target)}]`;
  const nodeByName = new Map(nodes.map((node) => [node.name as string, node]));
  const sourceOf = (target: Loose, path: string): RawTask["source"] | undefined => {
    const source = sources.get(target.source);
    if (!source && !issues.some((issue) => issue.path.startsWith("$.sources"))) {
      issues.push({ path: `${path}.source`, code: "GL_UNKNOWN_SOURCE", message: `no source named "${target.source}"` });
    }
    return source;
  };
  const properties = (target: Loose, path: string): Record<string, RawFieldMapping> =>
    Object.fromEntries(
      (target.properties ?? []).map((mapping: Loose, index: number) => {
        const type = lower(mapping.target_property_type);
        const scalar = type && TYPES[type.replace(/_array$/, "")];
        if (type && !scalar) warnings.push(`${path}.properties[${index}]: type "${type}" is left to the source's own type`);
        return [mapping.target_property, scalar ? { column: mapping.source_field, type: `${scalar}${type!.endsWith("_array") ? "[]" : ""}` } : mapping.source_field];
      }),
    );
  const keyOf = (node: Loose): string[] => {
    const constraint = node.schema?.key_constraints?.[0] ?? node.schema?.unique_constraints?.[0];
    return constraint?.properties ?? (node.properties ?? []).map((mapping: Loose) => mapping.target_property);
  };

  // Schema: every constraint and index of an active target, for the run's schema step, which
  // creates them before the first stage (Neo4j's own import creates a target's just before it).
  const schema: SchemaItem[] = [];
  const declare = (target: Loose, path: string, relationshipType?: string): void => {
    for (const [key, kind] of SCHEMA_KINDS) {
      (target.schema?.[key] ?? []).forEach((item: Loose, index: number) => {
        const at = `${path}.schema.${key}[${index}]`;
        const entity = relationshipType === undefined ? "NODE" : "RELATIONSHIP";
        const on = relationshipType === undefined ? { labels: item.labels ?? [item.label] } : { type: relationshipType };
        const properties: string[] = item.properties ?? [item.property];
        let propertyType: string | undefined;
        if (kind === "key") {
          warnings.push(`${at}: key constraint "${item.name}" (${entity} KEY) needs Neo4j Enterprise; on Community a uniqueness constraint "${item.name}" on the same properties is created instead`);
        } else if (kind === "existence") {
          warnings.push(`${at}: existence constraint "${item.name}" needs Neo4j Enterprise; Community refuses it, so it is not created there`);
        } else if (kind === "type") {
          const mapping = (target.properties ?? []).find((property: Loose) => property.target_property === item.property);
          propertyType = cypherType(mapping?.target_property_type);
          if (propertyType === undefined) {
            warnings.push(`${at}: type constraint "${item.name}": Neo4j 5 has no property type constraint for ${typeName(mapping?.target_property_type) ?? "an untyped property"}; it is not created`);
            return;
          }
          warnings.push(`${at}: type constraint "${item.name}" needs Neo4j Enterprise; Community refuses it, so it is not created there`);
        }
        schema.push({ kind, name: item.name, on, properties, ...(propertyType ? { propertyType } : {}), ...indexOptions(item.options) });
      });
    }
  };
  nodes.forEach((node) => declare(node, pathOf("nodes", node)));
  relationships.forEach((relationship) => declare(relationship, pathOf("relationships", relationship), relationship.type));

  const task = (target: Loose, path: string, body: Partial<RawTask>): RawTask => ({
    name: target.name,
    source: sourceOf(target, path),
    ...(lower(target.write_mode) ? { mode: lower(target.write_mode) as "merge" | "create" } : {}),
    ...body,
  });
  const nodeTasks = nodes.map((node) => {
    const path = pathOf("nodes", node);
    return task(node, path, { node: { labels: node.labels, key: keyOf(node), properties: properties(node, path) } });
  });
  const endpoint = (reference: unknown, path: string): RawEndpoint | undefined => {
    const name = typeof reference === "string" ? reference : (reference as Loose)?.name;
    const node = nodeByName.get(name);
    if (!node) {
      issues.push({ path, code: "GL_UNKNOWN_TARGET", message: `no active node target named "${name}"` });
      return undefined;
    }
    const mappings: Loose[] = (reference as Loose)?.key_mappings ?? [];
    const key = Object.fromEntries(
      keyOf(node).map((property) => {
        const explicit = mappings.find((mapping) => mapping.node_property === property);
        const column = explicit?.source_field ?? (node.properties ?? []).find((mapping: Loose) => mapping.target_property === property)?.source_field ?? property;
        return [property, column];
      }),
    );
    return { label: node.labels?.[0], key };
  };
  const relationshipTasks = relationships.map((relationship) => {
    const path = pathOf("relationships", relationship);
    if (lower(relationship.node_match_mode) === "merge") warnings.push(`${path}: node_match_mode merge: graphload matches endpoints and reports rows whose nodes are missing`);
    return task(relationship, path, {
      relationship: {
        type: relationship.type,
        from: endpoint(relationship.start_node_reference, `${path}.start_node_reference`),
        to: endpoint(relationship.end_node_reference, `${path}.end_node_reference`),
        properties: properties(relationship, path),
      },
    });
  });
  const queryTasks = queries.map((target) => {
    const path = pathOf("queries", target);
    const body = /^\s*UNWIND\s+\$rows\s+AS\s+row\b/i.test(target.query ?? "") ? target.query.replace(/^\s*UNWIND\s+\$rows\s+AS\s+row\b/i, "") : undefined;
    if (body === undefined) issues.push({ path: `${path}.query`, code: "GL_UNSUPPORTED_QUERY", message: "a query target must start with UNWIND $rows AS row" });
    return task(target, path, { cypher: body ?? "RETURN 1" });
  });

  const actions = (stage: string): RawStage[] => {
    const statements = (Array.isArray(spec.actions) ? spec.actions : [])
      .map((action: Loose, index: number) => ({ action, index }))
      .filter(({ action }: { action: Loose }) => action.active !== false && lower(action.stage) === stage)
      .flatMap(({ action, index }: { action: Loose; index: number }) => {
        if (lower(action.type) === "cypher" && typeof action.query === "string") return [action.query];
        warnings.push(`$.actions[${index}]: action type "${action.type}" is not supported and is skipped`);
        return [];
      });
    return statements.length > 0 ? [{ name: stage, statements }] : [];
  };
  const targetsDependingOn = new Map([...nodes, ...relationships, ...queries].map((target) => [target.name as string, dependencies(target, "").dependsOn]));
  const stages: RawStage[] = [
    ...actions("start"),
    ...actions("post_sources"),
    ...actions("pre_nodes"),
    ...layered("nodes", nodeTasks),
    ...actions("post_nodes"),
    ...actions("pre_relationships"),
    ...layered("relationships", relationshipTasks),
    ...actions("post_relationships"),
    ...actions("pre_queries"),
    ...layered("queries", queryTasks),
    ...actions("post_queries"),
    ...actions("end"),
  ];
  function layered(name: string, tasks: RawTask[]): RawStage[] {
    // A task runs one stage after the latest task of its kind it depends on; other kinds are ordered already.
    const names = new Set(tasks.map((t) => t.name));
    const layer = new Map<string, number>();
    const depth = (taskName: string, seen: Set<string>): number => {
      if (layer.has(taskName)) return layer.get(taskName)!;
      if (seen.has(taskName)) return 0;
      seen.add(taskName);
      const deps = (targetsDependingOn.get(taskName) ?? []).filter((dep) => names.has(dep));
      const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((dep) => depth(dep, seen)));
      layer.set(taskName, value);
      return value;
    };
    const layers: RawTask[][] = [];
    for (const t of tasks) (layers[depth(t.name!, new Set())] ??= []).push(t);
    return layers.filter(Boolean).map((group, index) => ({ name: index === 0 ? name : `${name}-${index + 1}`, tasks: group }));
  }

  const name = (options.file ? basename(options.file, extname(options.file)) : "import-spec").replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "") || "import-spec";
  return { document: { version: 1, name, stages }, schema, issues, warnings };
}

/** import-spec's schema keys and the kinds they declare; the plan puts every constraint before any index. */
const SCHEMA_KINDS: ReadonlyArray<readonly [string, SchemaItemKind]> = [
  ["key_constraints", "key"],
  ["unique_constraints", "unique"],
  ["existence_constraints", "existence"],
  ["type_constraints", "type"],
  ["range_indexes", "range"],
  ["text_indexes", "text"],
  ["point_indexes", "point"],
  ["fulltext_indexes", "fulltext"],
  ["vector_indexes", "vector"],
];

const CYPHER_TYPES: Readonly<Record<string, string>> = {
  boolean: "BOOLEAN",
  date: "DATE",
  duration: "DURATION",
  float: "FLOAT",
  integer: "INTEGER",
  local_datetime: "LOCAL DATETIME",
  local_time: "LOCAL TIME",
  point: "POINT",
  string: "STRING",
  zoned_datetime: "ZONED DATETIME",
  zoned_time: "ZONED TIME",
};

function typeName(type: unknown): string | undefined {
  const name = typeof type === "string" ? type : (type as Loose | undefined)?.name;
  return typeof name === "string" ? name.toUpperCase() : undefined;
}

/** The Cypher type a type constraint requires; none for byte arrays and vectors, which Neo4j 5's type constraints cannot name. */
function cypherType(type: unknown): string | undefined {
  const name = typeName(type)?.toLowerCase();
  if (name === undefined) return undefined;
  const scalar = CYPHER_TYPES[name.replace(/_array$/, "")];
  if (scalar === undefined) return undefined;
  return name.endsWith("_array") ? `LIST<${scalar} NOT NULL>` : scalar;
}

/**
 * The `OPTIONS` map of an index or constraint. import-spec's own examples give a point or
 * full-text index's settings under `indexConfig`, as Neo4j takes them, but a vector index's
 * directly (`vector.dimensions: 1536`): settings given directly go under `indexConfig`.
 */
function indexOptions(options: unknown): { options?: Record<string, unknown> } {
  if (options === null || typeof options !== "object" || Array.isArray(options) || Object.keys(options).length === 0) return {};
  const { indexProvider, indexConfig, ...settings } = options as Loose;
  const configMap = indexConfig === undefined || (indexConfig !== null && typeof indexConfig === "object" && !Array.isArray(indexConfig));
  if (Object.keys(settings).length === 0 || !configMap) return { options: options as Loose };
  return { options: { ...(indexProvider !== undefined ? { indexProvider } : {}), indexConfig: { ...(indexConfig ?? {}), ...settings } } };
}
