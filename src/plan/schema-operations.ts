import { createHash } from "node:crypto";
import type { FieldMapping, Pipeline, Task } from "../pipeline/pipeline.js";
import type { SchemaOperation } from "./build-plan.js";
import { escapeIdentifier } from "./cypher-text.js";
import { declaredSchema } from "./declared-schema.js";
import { decodeVariant, knownVariants } from "./dynamic-names.js";
import { pattern } from "./merge-identities.js";

interface Need {
  readonly kind: "constraint" | "index";
  readonly label: string;
  readonly properties: readonly string[];
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
 */
export function schemaOperations(pipeline: Pipeline): SchemaOperation[] {
  if (!pipeline.schema.create) return [];
  const needs = pipeline.stages.flatMap((stage) => (stage.kind === "tasks" ? stage.tasks.flatMap(needsOf) : []));
  const declared = declaredSchema(pipeline.stages.flatMap((stage) => (stage.kind === "statements" ? stage.statements : [])));
  const covered = new Set(declared.map(({ label, properties }) => schemaId(label, properties)));
  const operations: SchemaOperation[] = [];
  // Constraints first: an index on the same properties would make the constraint fail.
  for (const kind of ["constraint", "index"] as const) {
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
