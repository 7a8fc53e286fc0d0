import { createHash } from "node:crypto";
import type { FieldMapping, Pipeline, SchemaItem, Task } from "../model/pipeline.js";
import { escapeIdentifier } from "./cypher-text.js";
import { declaredSchema } from "./declared-schema.js";
import { decodeVariant, knownVariants } from "./dynamic-names.js";
import { pattern } from "./merge-identities.js";

interface Need {
  readonly kind: "constraint" | "index";
  readonly label: string;
  readonly properties: readonly string[];
}

/**
 * A constraint or index a run makes sure of before writing: uniqueness for merge keys,
 * indexes for endpoint lookups. `IF NOT EXISTS` statements, so they are safe to repeat.
 */
export interface SchemaOperation {
  readonly kind: "constraint" | "index";
  readonly name: string;
  readonly cypher: string;
  /** What it is for, for `plan` and warnings: `uniqueness of (:Person {id})`. */
  readonly description: string;
}

/** Beyond this, a name is shortened and told apart by a hash. */
const MAX_NAME = 63;

/**
 * The constraints and indexes a run makes sure of before its first stage, decided from the
 * pipeline alone: a uniqueness constraint for every key merged on one label (node tasks in
 * merge mode, merged endpoints), an index for every endpoint looked up (and for a key merged
 * on several labels, see below), none where a constraint on the same label and properties
 * serves already, none that the pipeline's own statements create. Community 5.26 has
 * property uniqueness constraints, not node keys.
 *
 * A node merged on several labels (`MERGE (n:A:B {id})`) gets an index on its first label,
 * not a constraint: a constraint on `A` would refuse an `:A:B` node whose key an `:A` node
 * without `B` already has, which the MERGE rightly creates. A task that merges `A` alone on
 * the key brings its constraint, and that serves both.
 *
 * What the pipeline declares by name (`schema.declared`, an import specification's schema)
 * comes first of each kind, and a key or uniqueness constraint or a range index declared on
 * a label and properties stands in for graphload's own there.
 */
export function schemaOperations(pipeline: Pipeline): SchemaOperation[] {
  if (!pipeline.schema.create) return [];
  const needs = pipeline.stages.flatMap((stage) => (stage.kind === "tasks" ? stage.tasks.flatMap(needsOf) : []));
  const items = pipeline.schema.declared ?? [];
  const declared = [
    ...declaredSchema(pipeline.stages.flatMap((stage) => (stage.kind === "statements" ? stage.statements : []))),
    ...items.flatMap(lookupSchemaOf),
  ];
  const covered = new Set(declared.map(({ label, properties }) => schemaId(label, properties)));
  const named = items.flatMap(declaredOperations);
  const operations: SchemaOperation[] = [];
  // Constraints first: an index on the same properties would make the constraint fail.
  for (const kind of ["constraint", "index"] as const) {
    operations.push(...named.filter((operation) => operation.kind === kind));
    for (const need of needs) {
      const id = schemaId(need.label, need.properties);
      if (need.kind !== kind || covered.has(id)) continue;
      covered.add(id);
      operations.push(operationOf(need));
    }
  }
  return operations;
}

function needsOf(task: Task): Need[] {
  const target = task.target;
  const names = (key: readonly FieldMapping[]) => key.map((field) => field.property);
  if (target.kind === "node") {
    if (task.settings.mode !== "merge") return [];
    const labelSets = target.labels.length > 0 ? [target.labels] : (knownVariants(target) ?? []).map(decodeVariant);
    return labelSets.map((labels) => ({ kind: labels.length === 1 ? "constraint" : "index", label: labels[0], properties: names(target.key) }));
  }
  if (target.kind === "relationship") {
    return [target.from, target.to].map((end) => ({ kind: end.merge ? "constraint" : "index", label: end.label, properties: names(end.key) }));
  }
  return [];
}

/** Properties as a set: an index or constraint on (a, b) serves a lookup on {b, a}. */
function schemaId(label: string, properties: readonly string[]): string {
  return JSON.stringify([label, [...properties].sort()]);
}

function operationOf({ kind, label, properties }: Need): SchemaOperation {
  const name = operationName(label, properties, kind === "constraint" ? "unique" : "index");
  const node = `(n:${escapeIdentifier(label)})`;
  const keys = properties.map((property) => `n.${escapeIdentifier(property)}`);
  const shown = pattern([label], properties);
  return kind === "constraint"
    ? {
        kind,
        name,
        cypher: `CREATE CONSTRAINT ${name} IF NOT EXISTS FOR ${node} REQUIRE ${keys.length === 1 ? keys[0] : `(${keys.join(", ")})`} IS UNIQUE`,
        description: `uniqueness of ${shown}`,
      }
    : { kind, name, cypher: `CREATE INDEX ${name} IF NOT EXISTS FOR ${node} ON (${keys.join(", ")})`, description: `lookups of ${shown}` };
}

/**
 * `graphload_<label>_<properties>_<suffix>`, in letters, digits and `_`. A name that had to
 * lose characters or length ends with a hash of the exact label and properties, so two
 * schemas never share a name (which `IF NOT EXISTS` would silently take as done).
 */
export function operationName(label: string, properties: readonly string[], suffix: string): string {
  const exact = ["graphload", label, ...properties, suffix].join("_");
  const plain = exact.replace(/[^A-Za-z0-9_]/g, "_");
  if (plain === exact && plain.length <= MAX_NAME) return plain;
  const hash = createHash("sha256").update(JSON.stringify([label, properties])).digest("hex").slice(0, 8);
  const head = ["graphload", label, ...properties].join("_").replace(/[^A-Za-z0-9_]/g, "_");
  return `${head.slice(0, MAX_NAME - suffix.length - hash.length - 2)}_${hash}_${suffix}`;
}

/** A declared item that serves graphload's lookups of its label and properties, as its own would. */
function lookupSchemaOf(item: SchemaItem): { label: string; properties: readonly string[] }[] {
  if (!("labels" in item.on) || item.on.labels.length !== 1 || !["key", "unique", "range"].includes(item.kind)) return [];
  return [{ label: item.on.labels[0], properties: item.properties }];
}

/**
 * A declared item's statement in Neo4j 5's syntax for its kind, under its own name. Key,
 * existence and type constraints need Neo4j Enterprise, and Community refuses them: the run
 * reports each refusal as a warning and goes on. A key constraint is followed by a uniqueness
 * constraint of the same name, which Community creates in its place and Enterprise, having
 * made the key, passes over (`IF NOT EXISTS` finds the name taken).
 */
function declaredOperations(item: SchemaItem): SchemaOperation[] {
  const listed = item.properties.join(", ");
  const [node, variable, target, shown] =
    "labels" in item.on
      ? [true, "n", `(n:${item.on.labels.map(escapeIdentifier).join("|")})`, `(:${item.on.labels.join("|")} {${listed}})`]
      : [false, "r", `()-[r:${escapeIdentifier(item.on.type)}]-()`, `()-[:${item.on.type} {${listed}}]-()`];
  const keys = item.properties.map((property) => `${variable}.${escapeIdentifier(property)}`);
  const one = keys.length === 1 ? keys[0] : `(${keys.join(", ")})`;
  const options = item.options && Object.keys(item.options).length > 0 ? ` OPTIONS ${cypherValue(item.options)}` : "";
  const name = escapeIdentifier(item.name);
  const constraint = (requirement: string, description: string): SchemaOperation => ({
    kind: "constraint",
    name: item.name,
    cypher: `CREATE CONSTRAINT ${name} IF NOT EXISTS FOR ${target} REQUIRE ${requirement}`,
    description,
  });
  const index = (kind: string, on: string, description: string): SchemaOperation => ({
    kind: "index",
    name: item.name,
    cypher: `CREATE ${kind} INDEX ${name} IF NOT EXISTS FOR ${target} ON ${on}${options}`,
    description: `${description} on ${shown}`,
  });
  switch (item.kind) {
    case "key":
      return [
        constraint(`${one} IS ${node ? "NODE" : "RELATIONSHIP"} KEY${options}`, `key of ${shown}, Neo4j Enterprise only`),
        constraint(`${one} IS UNIQUE${options}`, `uniqueness of ${shown}, for its key on Neo4j Community`),
      ];
    case "unique":
      return [constraint(`${one} IS UNIQUE${options}`, `uniqueness of ${shown}`)];
    case "existence":
      return [constraint(`${keys[0]} IS NOT NULL`, `existence of ${shown}, Neo4j Enterprise only`)];
    case "type":
      return [constraint(`${keys[0]} IS :: ${item.propertyType}`, `type of ${shown} :: ${item.propertyType}, Neo4j Enterprise only`)];
    case "range":
      return [index("RANGE", `(${keys.join(", ")})`, "range index")];
    case "text":
      return [index("TEXT", `(${keys[0]})`, "text index")];
    case "point":
      return [index("POINT", `(${keys[0]})`, "point index")];
    case "vector":
      return [index("VECTOR", `(${keys[0]})`, "vector index")];
    case "fulltext":
      return [index("FULLTEXT", `EACH [${keys.join(", ")}]`, "full-text index")];
  }
}

/** A Cypher literal of a value read from YAML or JSON: schema commands take no parameters. */
function cypherValue(value: unknown): string {
  if (typeof value === "string") return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(cypherValue).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, entry]) => `${escapeIdentifier(key)}: ${cypherValue(entry)}`)
      .join(", ")}}`;
  }
  return "null";
}
