import type { FieldMapping, NameFromColumn, Task, WhereCondition } from "../model/pipeline.js";
import { childPath } from "../model/validation-issue.js";

/** One column a task reads, and where the pipeline names it. */
export interface ColumnUse {
  readonly column: string;
  readonly path: string;
}

/**
 * Every column a task reads: its keys, properties, `onCreate`, a point's coordinates,
 * labels and types from columns, `where`, endpoint keys. What `allColumns` leaves out, and
 * what a CSV header must hold.
 */
export function* columnsRead(task: Task, path: string): Generator<ColumnUse> {
  if (task.where) yield* whereColumns(task.where, `${path}.where`);
  const target = task.target;
  if (target.kind === "node") {
    const base = `${path}.node`;
    // The model keeps labels from columns apart from fixed ones, so the list is the closest path.
    for (const label of target.labelColumns) yield { column: label.column, path: `${base}.labels` };
    for (const [index, field] of target.key.entries()) yield* fieldColumns(field, `${base}.key[${index}]`);
    yield* mapColumns(target.properties, `${base}.properties`);
    yield* mapColumns(target.onCreate, `${base}.onCreate`);
  } else if (target.kind === "relationship") {
    const base = `${path}.relationship`;
    if (typeof target.type !== "string") yield* nameColumns(target.type, `${base}.type`);
    for (const end of ["from", "to"] as const) {
      yield* mapColumns(target[end].key, `${base}.${end}.key`);
      yield* mapColumns(target[end].onCreate, `${base}.${end}.onCreate`);
    }
    for (const [index, field] of target.key.entries()) yield* fieldColumns(field, `${base}.key[${index}]`);
    yield* mapColumns(target.properties, `${base}.properties`);
    yield* mapColumns(target.onCreate, `${base}.onCreate`);
  }
}

function* nameColumns(name: NameFromColumn, path: string): Generator<ColumnUse> {
  yield { column: name.column, path: `${path}.column` };
}

function* mapColumns(fields: readonly FieldMapping[], path: string): Generator<ColumnUse> {
  for (const field of fields) yield* fieldColumns(field, childPath(path, field.property));
}

function* fieldColumns(field: FieldMapping, path: string): Generator<ColumnUse> {
  if ("columns" in field) {
    for (const [axis, column] of Object.entries(field.columns)) if (column !== undefined) yield { column, path: `${path}.columns.${axis}` };
  } else {
    yield { column: field.column, path };
  }
}

function* whereColumns(condition: WhereCondition, path: string): Generator<ColumnUse> {
  switch (condition.kind) {
    case "all":
    case "any":
      for (const [index, inner] of condition.conditions.entries()) yield* whereColumns(inner, `${path}.${condition.kind}[${index}]`);
      return;
    case "not":
      yield* whereColumns(condition.condition, `${path}.not`);
      return;
    default:
      yield { column: condition.column, path: `${path}.column` };
  }
}
