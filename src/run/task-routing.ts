import type { TaskPlan } from "../plan/build-plan.js";
import type { Row } from "../plan/row-mapper.js";
import type { Routing } from "./batcher.js";

/**
 * How a task's rows are grouped into lanes (batcher.ts). Source order (ordinal) serves
 * tasks whose rows may go in any batch: create mode, cypher tasks, serial tasks, and
 * keyset sources, which resume after their last committed key. The others are routed by
 * key: merge mode, so rows of one key share a lane and apply in order; mix and batch, so
 * batches touching disjoint nodes run together; and types or labels from a column, whose
 * rows go to one statement per value. Rows with one key and one statement always share a
 * lane with every other row of that key, so only rows with more (two merged endpoints,
 * mix and batch, variants) need the batcher to keep order across lanes.
 */
export function taskRouting(plan: TaskPlan, buckets: number, keyset: boolean): Routing {
  const ordered = plan.identityKeys !== undefined;
  const mixing = mixes(plan);
  if (plan.variantOf === undefined && (keyset || plan.task.strategy === "serial" || (!ordered && !mixing))) return { kind: "ordinal" };
  const acrossLanes = ordered && (mixing || plan.variantOf !== undefined || (plan.identityCount ?? 0) > 1);
  return { kind: "routed", buckets, ordered: acrossLanes };
}

function mixes(plan: TaskPlan): boolean {
  return plan.task.strategy === "mix-and-batch" && plan.endpoints !== undefined;
}

/** Appends to `out` the hashes of the keys a row touches. */
export type RowKeys = (row: Row, variant: string, out: number[]) => void;

/**
 * What a task's rows touch, decided once per task: for mix and batch first the two nodes a
 * row locks (the lane is their pair), then what it merges (its identities, which keep their
 * order). A batch touches the keys of all its rows.
 */
export function compileRowKeys(plan: TaskPlan): RowKeys {
  const locks = mixes(plan) ? plan.endpointKeys : undefined;
  const merges = plan.identityKeys;
  return (row, variant, out) => {
    locks?.(row as unknown[], variant, out);
    merges?.(row as unknown[], variant, out);
  };
}

/** Why a relationship row wrote nothing, naming the nodes it looked for that must exist. */
export function endpointMessage(plan: TaskPlan, row: Row): string {
  const target = plan.task.target;
  if (target.kind !== "relationship" || !plan.endpoints) return "the row wrote nothing";
  const { from, to } = plan.endpoints(row);
  const describe = (label: string, key: readonly { property: string }[], values: unknown[]): string =>
    `(:${label} {${key.map((field, index) => `${field.property}: ${JSON.stringify(String(values[index]))}`).join(", ")}})`;
  const required = [
    ...(target.from.merge ? [] : [`no start node ${describe(target.from.label, target.from.key, from)}`]),
    ...(target.to.merge ? [] : [`no end node ${describe(target.to.label, target.to.key, to)}`]),
  ];
  return required.join(" or ");
}
