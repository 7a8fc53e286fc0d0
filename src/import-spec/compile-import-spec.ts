import { basename, dirname, extname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { escapeIdentifier as ident } from "../pipeline/escape-identifier.js";
import type { RawEndpoint, RawFieldMapping, RawPipeline, RawStage, RawTask } from "../pipeline/raw-pipeline.js";
import type { ValidationIssue } from "../pipeline/validation-issue.js";

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

export function isImportSpec(document: unknown): boolean {
  return typeof document === "object" && document !== null && (document as Loose).version === "1" && "targets" in (document as Loose);
}

function dataSourceVariable(name: string): string {
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
  const warnings: string[] = [];
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
    if (lower(source.type) !== "jdbc") {
      issues.push({ path: `${path}.type`, code: "GL_UNSUPPORTED_SOURCE", message: `source type "${source.type}" is not supported; graphload reads jdbc (PostgreSQL) and text sources` });
      return;
    }
    const url = options.dataSources[source.data_source] ?? options.env[dataSourceVariable(String(source.data_source))];
    if (!url) {
      issues.push({
        path: `${path}.data_source`,
        code: "GL_DATA_SOURCE_UNSET",
        message: `data source "${source.data_source}" is not set: pass --data-source ${source.data_source}=postgresql://user@host:5432/db or set ${dataSourceVariable(String(source.data_source))}`,
      });
      return;
    }
    const plain = url.replace(/^jdbc:/, "");
    if (!/^postgres(ql)?:\/\//.test(plain)) {
      issues.push({ path: `${path}.data_source`, code: "GL_UNSUPPORTED_SOURCE", message: `data source "${source.data_source}" is ${plain.split(":")[0]}; graphload reads PostgreSQL` });
      return;
    }
    sources.set(source.name, { postgres: { url: plain, query: source.sql } });
  });

  const targets: Loose = spec.targets ?? {};
  const active = (target: Loose): boolean => target.active !== false;
  const nodes: Loose[] = (targets.nodes ?? []).filter(active);
  const relationships: Loose[] = (targets.relationships ?? []).filter(active);
  const queries: Loose[] = (targets.queries ?? []).filter(active);
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

  // Schema: constraints and indexes before any data.
  const schema: string[] = [];
  nodes.forEach((node, index) => {
    const path = `$.targets.nodes[${index}]`;
    const label = node.labels?.[0];
    for (const constraint of node.schema?.key_constraints ?? []) {
      warnings.push(`${path}: NODE KEY constraint "${constraint.name}" needs Neo4j Enterprise; created as a uniqueness constraint`);
      schema.push(uniqueConstraint(constraint.name, constraint.label ?? label, constraint.properties));
    }
    for (const constraint of node.schema?.unique_constraints ?? []) schema.push(uniqueConstraint(constraint.name, constraint.label ?? label, constraint.properties));
    for (const constraint of [...(node.schema?.existence_constraints ?? []), ...(node.schema?.type_constraints ?? [])]) {
      warnings.push(`${path}: property existence and type constraints need Neo4j Enterprise; "${constraint.name}" is skipped`);
    }
    for (const index of node.schema?.range_indexes ?? []) {
      schema.push(`CREATE INDEX ${ident(index.name)} IF NOT EXISTS FOR (n:${ident(index.label ?? label)}) ON (${index.properties.map((p: string) => `n.${ident(p)}`).join(", ")})`);
    }
  });

  const task = (target: Loose, path: string, body: Partial<RawTask>): RawTask => ({
    name: target.name,
    source: sourceOf(target, path),
    ...(lower(target.write_mode) ? { mode: lower(target.write_mode) as "merge" | "create" } : {}),
    ...body,
  });
  const nodeTasks = nodes.map((node, index) => {
    const path = `$.targets.nodes[${index}]`;
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
  const relationshipTasks = relationships.map((relationship, index) => {
    const path = `$.targets.relationships[${index}]`;
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
  const queryTasks = queries.map((target, index) => {
    const path = `$.targets.queries[${index}]`;
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
  const targetsDependingOn = new Map([...nodes, ...relationships, ...queries].map((target) => [target.name as string, (target.depends_on ?? []) as string[]]));
  const stages: RawStage[] = [
    ...actions("start"),
    ...(schema.length > 0 ? [{ name: "schema", statements: schema }] : []),
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
  return { document: { version: 1, name, stages }, issues, warnings };
}

function uniqueConstraint(name: string, label: string, properties: readonly string[]): string {
  const on = properties.length === 1 ? `n.${ident(properties[0])}` : `(${properties.map((p) => `n.${ident(p)}`).join(", ")})`;
  return `CREATE CONSTRAINT ${ident(name)} IF NOT EXISTS FOR (n:${ident(label)}) REQUIRE ${on} IS UNIQUE`;
}
