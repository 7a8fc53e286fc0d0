import { GraphloadError } from "../errors.js";
import type { Pipeline, Task } from "../pipeline/pipeline.js";
import { nodeCypher, relationshipCypher, userCypher } from "./cypher-text.js";
import { compileRowMapper, hasTypedValues, type Row, type RowMapper } from "./row-mapper.js";

export interface TaskPlan {
  readonly task: Task;
  /** The one statement every batch of the task runs, with the batch as `$rows`. */
  readonly cypher: string;
  readonly mapRow: RowMapper;
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
  if (target.kind !== "relationship") return { task, cypher, mapRow };
  const to = target.from.key.length;
  const end = to + target.to.key.length;
  const endpoints = (row: Row) => ({ from: (row as unknown[]).slice(0, to), to: (row as unknown[]).slice(to, end) });
  return { task, cypher, mapRow, endpoints };
}
