import { isDate, isDateTime, isDuration, isInt, isLocalDateTime, isLocalTime, isPoint, isTime } from "neo4j-driver";
import { GraphloadError } from "../errors.js";
import { openSource } from "../source/open-source.js";
import type { TaskPlan } from "./build-plan.js";
import { compileRowMapper, FILTERED, rowFieldNames, type Row } from "./row-mapper.js";

/** The first `count` records of a task's source, converted as a run would send them, one line each. */
export async function previewRows(plan: TaskPlan, count: number): Promise<string[]> {
  const names = rowFieldNames(plan.task.target);
  const mapRow = compileRowMapper(plan.task, { wire: false });
  const lines: string[] = [];
  for await (const item of openSource(plan.task.source).records()) {
    if (lines.length >= count) break;
    if (item.kind === "malformed") {
      lines.push(`line ${item.line}: rejected ${item.code}: ${item.message}`);
      continue;
    }
    try {
      const row = mapRow(item.values);
      if (row === FILTERED) {
        lines.push(`line ${item.line}: filtered out (where)`);
        continue;
      }
      const variant = plan.variantOf ? ` as ${plan.variantOf(item.values)}` : "";
      lines.push(`line ${item.line}: ${JSON.stringify(named(row, names), showValue)}${variant}`);
    } catch (error) {
      if (!(error instanceof GraphloadError)) throw error;
      lines.push(`line ${item.line}: rejected ${error.code}: ${error.message}`);
    }
  }
  return lines;
}

/** A positional row as a map of its field names, which a person can read. */
function named(row: Row, names: readonly string[] | undefined): unknown {
  return names && Array.isArray(row) ? Object.fromEntries(names.map((name, index) => [name, row[index]])) : row;
}

/** Shows driver values as Cypher would print them, with their type, e.g. `1996-07-04 (DATE)`. */
function showValue(_key: string, value: unknown): unknown {
  if (isInt(value)) return `${value.toString()} (INTEGER)`;
  if (isDate(value)) return `${value.toString()} (DATE)`;
  if (isDateTime(value)) return `${value.toString()} (ZONED DATETIME)`;
  if (isLocalDateTime(value)) return `${value.toString()} (LOCAL DATETIME)`;
  if (isTime(value)) return `${value.toString()} (ZONED TIME)`;
  if (isLocalTime(value)) return `${value.toString()} (LOCAL TIME)`;
  if (isDuration(value)) return `${value.toString()} (DURATION)`;
  if (isPoint(value)) return `${value.toString()} (POINT)`;
  if (typeof value === "number") return `${value} (FLOAT)`;
  return value;
}
