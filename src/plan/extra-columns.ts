import { compileConverter, type ValueConverter } from "../convert/convert-value.js";
import type { Task } from "../model/pipeline.js";
import { columnsRead } from "../pipeline/task-columns.js";

/** The other columns of a record as properties of their own names, nulls left out. */
export type ExtraColumns = (values: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/**
 * `allColumns`: columns are only known as records arrive (a CSV header, each JSON line's
 * keys), so the set is decided per record, converters are made once per column name, and
 * the properties travel as one map (`SET n += row[k]`). Left out: every column the task
 * reads elsewhere, `exclude`, columns named like a property the task maps itself (the
 * mapping wins), and columns without a name. A null is left out rather than sent, so it
 * keeps the value already there, as a null of `properties` does.
 */
export function compileExtraColumns(task: Task, options: { typedValues: boolean }): ExtraColumns | undefined {
  const target = task.target;
  if (target.kind === "cypher" || !target.allColumns) return undefined;
  const own = [...target.key, ...target.properties, ...target.onCreate].map((field) => field.property);
  const skipped = new Set([...[...columnsRead(task, "$")].map((use) => use.column), ...target.allColumns.exclude, ...own]);
  const converters = new Map<string, ValueConverter | undefined>();
  const converterOf = (column: string): ValueConverter | undefined => {
    if (!converters.has(column)) {
      const wanted = !skipped.has(column) && column.trim() !== "";
      converters.set(column, wanted ? compileConverter({ property: column, column, arrayDelimiter: ";" }, task.settings.nullValues, options) : undefined);
    }
    return converters.get(column);
  };
  return (values) => {
    const extra: Record<string, unknown> = {};
    for (const column in values) {
      const convert = converterOf(column);
      if (!convert) continue;
      const value = convert(values[column]);
      if (value !== null) extra[column] = value;
    }
    return extra;
  };
}
