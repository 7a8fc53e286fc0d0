import { GraphloadError } from "../errors.js";
import type { Pipeline, Task } from "../pipeline/pipeline.js";
import { nodeCypher, relationshipCypher, userCypher } from "./cypher-text.js";
import { compileRowMapper, hasTypedValues, type Row, type RowMapper } from "./row-mapper.js";

/** One generated statement: the variant (a type or labels taken from a column) it serves. */
export interface PlannedStatement {
  /** "" for a task whose type and labels are all fixed. */
  readonly variant: string;
  readonly cypher: string;
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

export interface TaskPlan {
  readonly task: Task;
  /** The source record as the row its statement expects, or FILTERED; throws GraphloadError for a row to reject. */
  readonly mapRow: RowMapper;
  /**
   * Tasks whose type or labels come from a column: the variant a record's row belongs to
   * (throws `GL_UNMAPPED_VALUE` and the like for a row to reject). Absent: every row is "".
   */
  readonly variantOf?: (values: Readonly<Record<string, unknown>>) => string;
  /** The one statement the batches of `variant` run, with the batch as `$rows`. */
  readonly statement: (variant: string) => string;
  /** Every statement known before reading (fixed variants, and each `values` entry), for `plan`. */
  readonly statements: readonly PlannedStatement[];
  /**
   * Merge mode: what a row merges whose rows must apply in source order and never in two
   * transactions at once, each `[namespace, ...key values]` (the namespace names label or
   * type and key properties, the same for every task of a pipeline that merges them).
   * Absent: rows may apply in any order (create mode, cypher tasks).
   */
  readonly identities?: (row: Row, variant: string) => readonly (readonly unknown[])[];
  /**
   * Relationship tasks: the key values of a row's two endpoints. Their statement returns
   * the batch position of every row whose endpoints were not found.
   */
  readonly endpoints?: (row: Row) => { readonly from: unknown[]; readonly to: unknown[] };
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
    schema: [],
    stages: pipeline.stages
      .filter((stage) => !selected || selected.has(stage.name))
      .map((stage): StagePlan => (stage.kind === "statements" ? stage : { kind: "tasks", name: stage.name, tasks: stage.tasks.map(planTask) })),
  };
}

export function planTask(task: Task): TaskPlan {
  const target = task.target;
  const cypher =
    target.kind === "node"
      ? nodeCypher(target, task.settings.mode)
      : target.kind === "relationship"
        ? relationshipCypher(target, task.settings.mode)
        : userCypher(target.cypher);
  const mapRow = compileRowMapper(target, task.settings, { typedValues: hasTypedValues(task.source) });
  const fixed = { task, mapRow, statement: () => cypher, statements: [{ variant: "", cypher }] };
  const merging = task.settings.mode === "merge";
  if (target.kind === "node") {
    const namespace = `${target.labels.join(":")}|${target.key.map((field) => field.property).join(",")}`;
    const width = target.key.length;
    return merging ? { ...fixed, identities: (row) => [[namespace, ...(row as unknown[]).slice(0, width)]] } : fixed;
  }
  if (target.kind !== "relationship") return fixed;
  const to = target.from.key.length;
  const end = to + target.to.key.length;
  const endpoints = (row: Row) => ({ from: (row as unknown[]).slice(0, to), to: (row as unknown[]).slice(to, end) });
  // Every row that merges one relationship has the same start node: its key orders them.
  const fromNamespace = `${target.from.label}|${target.from.key.map((field) => field.property).join(",")}`;
  const identities = (row: Row) => [[fromNamespace, ...endpoints(row).from]];
  return merging ? { ...fixed, endpoints, identities } : { ...fixed, endpoints };
}
