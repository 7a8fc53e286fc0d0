import { GraphloadError } from "../errors.js";
import type { Pipeline, Task } from "../model/pipeline.js";
import { nodeCypher, relationshipCypher, userCypher } from "./cypher-text.js";
import { ROWS, type BatchShape } from "./batch-parameters.js";
import { compileVariantReader, decodeVariant, knownVariants } from "./dynamic-names.js";
import { compileEndpointKeys, compileIdentities, type Identities, type IdentityKeys } from "./merge-identities.js";
import { groupOf, nodeLayout, relationshipLayout, textPositions, valuesOf } from "./row-layout.js";
import { compileRowMapper, hasTypedValues, type Row, type RowMapper } from "./row-mapper.js";
import { schemaOperations, type SchemaOperation } from "./schema-operations.js";

/** One generated statement: the variant (a type or labels taken from a column) it serves. */
export interface PlannedStatement {
  /** "" for a task whose type and labels are all fixed. */
  readonly variant: string;
  readonly cypher: string;
}

export interface TaskPlan {
  readonly task: Task;
  /** The source record as the row its statement expects, or FILTERED; throws GraphloadError for a row to reject. */
  readonly mapRow: RowMapper;
  /**
   * Tasks whose type or labels come from a column: the variant a record's row belongs to
   * (throws `GL_UNMAPPED_VALUE` and the like for a row to reject). Absent: every row is "".
   * Ask it only for records that `mapRow` did not filter: a `where` often leaves out the
   * very cells that a `values` map does not name.
   */
  readonly variantOf?: (values: Readonly<Record<string, unknown>>) => string;
  /** The one statement the batches of `variant` run. */
  readonly statement: (variant: string) => string;
  /** How its batches travel (batch-parameters.ts): node and relationship tasks by column, cypher tasks as `$rows`. */
  readonly shape: BatchShape;
  /** Every statement known before reading (fixed variants, and each `values` entry), for `plan`. */
  readonly statements: readonly PlannedStatement[];
  /**
   * Merge mode: what a row merges whose rows must apply in source order and never in two
   * transactions at once, each `[namespace, ...key values]` (the namespace names label or
   * type and key properties, the same for every task of a pipeline that merges them).
   * Absent: rows may apply in any order (create mode, cypher tasks).
   */
  readonly identities?: Identities;
  /** `identities` as hashes (key-hash.ts), appended to `out`: what the engine routes rows by. */
  readonly identityKeys?: IdentityKeys;
  /** How many identities each row has. */
  readonly identityCount?: number;
  /**
   * Relationship tasks: the key values of a row's two endpoints. Their statement returns
   * the batch position of every row whose endpoints were not found.
   */
  readonly endpoints?: (row: Row) => { readonly from: unknown[]; readonly to: unknown[] };
  /** Relationship tasks: the hashes of the two nodes a row locks, appended to `out` (mix and batch routes by them). */
  readonly endpointKeys?: IdentityKeys;
}

export type StagePlan =
  | { readonly kind: "tasks"; readonly name: string; readonly tasks: readonly TaskPlan[] }
  | { readonly kind: "statements"; readonly name: string; readonly statements: readonly string[] };

export interface Plan {
  readonly pipeline: Pipeline;
  /** Run before the first stage; empty with `schema: { create: false }`. */
  readonly schema: readonly SchemaOperation[];
  readonly stages: readonly StagePlan[];
}

/**
 * Decides everything a run will do, before any I/O: stages, their tasks, each task's Cypher.
 * Throws `GL_UNKNOWN_STAGE` when a selected stage does not exist.
 */
export function buildPlan(pipeline: Pipeline, options: { stages?: readonly string[] } = {}): Plan {
  const selected = options.stages && options.stages.length > 0 ? new Set(options.stages) : undefined;
  const unknown = [...(selected ?? [])].filter((name) => !pipeline.stages.some((stage) => stage.name === name));
  if (unknown.length > 0) {
    const known = pipeline.stages.map((stage) => stage.name).join(", ");
    throw new GraphloadError("GL_UNKNOWN_STAGE", `no stage named ${unknown.join(", ")}; the stages are: ${known}`);
  }
  return {
    pipeline,
    schema: schemaOperations(pipeline),
    stages: pipeline.stages
      .filter((stage) => !selected || selected.has(stage.name))
      .map((stage): StagePlan => (stage.kind === "statements" ? stage : { kind: "tasks", name: stage.name, tasks: stage.tasks.map(planTask) })),
  };
}

function planTask(task: Task): TaskPlan {
  const target = task.target;
  const mapRow = compileRowMapper(task);
  if (target.kind === "cypher") {
    const cypher = userCypher(target.cypher);
    return { task, mapRow, statement: () => cypher, shape: ROWS, statements: [{ variant: "", cypher }] };
  }
  const mode = task.settings.mode;
  const statement = memoized((variant: string) => {
    if (target.kind === "node") return nodeCypher(target, mode, decodeVariant(variant));
    if (typeof target.type === "string") return relationshipCypher(target, mode, target.type);
    const [type, ...more] = decodeVariant(variant);
    if (type === undefined || more.length > 0) throw new GraphloadError("GL_UNKNOWN_VARIANT", `task ${task.name} takes one relationship type per row, not "${variant}"`);
    return relationshipCypher(target, mode, type);
  });
  const statements = (knownVariants(target) ?? []).map((variant) => ({ variant, cypher: statement(variant) }));
  const variantOf = compileVariantReader(target, hasTypedValues(task.source) ? [] : task.settings.nullValues);
  const identities = compileIdentities(target, mode);
  const layout = target.kind === "node" ? nodeLayout(target) : relationshipLayout(target);
  const plan: TaskPlan = { task, mapRow, statement, shape: { kind: "columns", text: textPositions(layout) }, statements, ...(variantOf ? { variantOf } : {}), ...identities };
  if (target.kind === "node") return plan;
  const from = groupOf(layout, "fromKey");
  const to = groupOf(layout, "toKey");
  return { ...plan, endpoints: (row) => ({ from: valuesOf(row as unknown[], from), to: valuesOf(row as unknown[], to) }), endpointKeys: compileEndpointKeys(target) };
}

/** Statements are made once per variant; beyond this many variants (a column of arbitrary names), made again on demand. */
const MEMOIZED_VARIANTS = 1000;

function memoized(make: (variant: string) => string): (variant: string) => string {
  const made = new Map<string, string>();
  return (variant) => {
    let cypher = made.get(variant);
    if (cypher === undefined) {
      cypher = make(variant);
      if (made.size < MEMOIZED_VARIANTS) made.set(variant, cypher);
    }
    return cypher;
  };
}
