import { isInt } from "neo4j-driver";
import { isDriverValue } from "../convert/driver-value.js";
import type { WhereCondition, WhereValue } from "../model/pipeline.js";

/** How a source's values compare with the pipeline's: CSV cells as text, JSON and database values by JSON equality. */
export type ValueKind = "text" | "json" | "typed";

export interface WhereOptions {
  readonly kind: ValueKind;
  /** Cells read as null; they do not apply to typed (database) values. */
  readonly nullValues: readonly string[];
}

export type WherePredicate = (values: Readonly<Record<string, unknown>>) => boolean;

/**
 * Compiles a condition once into a pure test of a record. A null value (missing, JSON null,
 * or a string in `nullValues`) equals nothing, is in no list and matches no pattern;
 * `isNull` and `notIn` are what hold for it.
 */
export function compileWhere(condition: WhereCondition, options: WhereOptions): WherePredicate {
  switch (condition.kind) {
    case "all": {
      const tests = condition.conditions.map((inner) => compileWhere(inner, options));
      return (values) => tests.every((test) => test(values));
    }
    case "any": {
      const tests = condition.conditions.map((inner) => compileWhere(inner, options));
      return (values) => tests.some((test) => test(values));
    }
    case "not": {
      const test = compileWhere(condition.condition, options);
      return (values) => !test(values);
    }
    default:
      return columnTest(condition, options);
  }
}

function columnTest(condition: Exclude<WhereCondition, { kind: "all" | "any" | "not" }>, options: WhereOptions): WherePredicate {
  const read = valueReader(condition.column, options);
  switch (condition.kind) {
    case "isNull":
      return (values) => (read(values) === null) === condition.value;
    case "equals": {
      const same = equality([condition.value], options.kind);
      return (values) => same(read(values));
    }
    case "in": {
      const member = equality(condition.values, options.kind);
      return (values) => member(read(values));
    }
    case "notIn": {
      const member = equality(condition.values, options.kind);
      return (values) => !member(read(values));
    }
    case "matches": {
      // Whole value, as Cypher's =~ matches.
      const pattern = new RegExp(`^(?:${condition.pattern})$`);
      return (values) => {
        const value = read(values);
        return value !== null && pattern.test(asText(value));
      };
    }
  }
}

/** The value of a column as a condition sees it: null after `nullValues`, database values in their JSON form. */
function valueReader(column: string, { kind, nullValues }: WhereOptions): (values: Readonly<Record<string, unknown>>) => unknown {
  const nulls = new Set(kind === "typed" ? [] : nullValues);
  return (values) => {
    const value = values[column];
    if (value === undefined || value === null) return null;
    if (typeof value === "string") return nulls.has(value) ? null : value;
    return kind === "typed" ? jsonForm(value) : value;
  };
}

/** Whether a (non-null) value equals one of the pipeline's values. */
function equality(expected: readonly WhereValue[], kind: ValueKind): (value: unknown) => boolean {
  if (kind === "text") {
    const texts = new Set(expected.map(String));
    return (value) => value !== null && texts.has(asText(value));
  }
  return (value) => value !== null && expected.some((candidate) => candidate === value);
}

/** Integers as numbers (exact ones as text beyond 2^53), temporal values, durations and points as Cypher prints them. */
function jsonForm(value: unknown): unknown {
  if (isInt(value)) return value.inSafeRange() ? value.toNumber() : value.toString();
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (isDriverValue(value)) return String(value);
  if (Array.isArray(value)) return value.map(jsonForm);
  return value;
}

function asText(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}
