import { int } from "neo4j-driver";
import { compileConverter } from "../convert/convert-value.js";
import { GraphloadError } from "../errors.js";
import type { FieldMapping, TaskSettings, TaskTarget } from "../pipeline/pipeline.js";

/** Turns one source record into the parameter row that the task's Cypher expects. */
export type RowMapper = (values: Readonly<Record<string, unknown>>) => Record<string, unknown>;

interface CompiledField {
  readonly property: string;
  readonly column: string;
  readonly convert: (raw: unknown) => unknown;
}

function compileFields(fields: readonly FieldMapping[], settings: TaskSettings): CompiledField[] {
  return fields.map((field) => ({ property: field.property, column: field.column, convert: compileConverter(field, settings.nullValues) }));
}

function keyValues(fields: readonly CompiledField[], values: Readonly<Record<string, unknown>>, what: string): unknown[] {
  return fields.map((field) => {
    const value = field.convert(values[field.column]);
    if (value === null) {
      throw new GraphloadError("GL_MISSING_KEY", `${what} key "${field.property}" has no value (column "${field.column}")`, {
        column: field.column,
      });
    }
    return value;
  });
}

/** Null properties are left out, so an absent value never overwrites one already in the graph. */
function propertyMap(fields: readonly CompiledField[], values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const field of fields) {
    const value = field.convert(values[field.column]);
    if (value !== null) properties[field.property] = value;
  }
  return properties;
}

/**
 * Rows of a cypher task carry every column. Without declared types, CSV cells stay strings
 * (null where the task's nullValues say so) and JSON whole numbers become INTEGER, as a
 * JSON Lines user would expect.
 */
function plainValue(value: unknown, nullValues: ReadonlySet<string>): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return nullValues.has(value) ? null : value;
  if (typeof value === "number") return Number.isInteger(value) ? int(value) : value;
  if (Array.isArray(value)) return value.map((item) => plainValue(item, nullValues));
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainValue(item, nullValues)]));
  }
  return value;
}

/** Fails with a GraphloadError (`GL_BAD_VALUE`, `GL_MISSING_KEY`) for a row that cannot be written. */
export function compileRowMapper(target: TaskTarget, settings: TaskSettings): RowMapper {
  switch (target.kind) {
    case "node": {
      const key = compileFields(target.key, settings);
      const properties = compileFields(target.properties, settings);
      return (values) => ({ k: keyValues(key, values, "node"), p: propertyMap(properties, values) });
    }
    case "relationship": {
      const from = compileFields(target.from.key, settings);
      const to = compileFields(target.to.key, settings);
      const properties = compileFields(target.properties, settings);
      return (values) => ({ f: keyValues(from, values, "start node"), t: keyValues(to, values, "end node"), p: propertyMap(properties, values) });
    }
    case "cypher": {
      const nullValues = new Set(settings.nullValues);
      return (values) => plainValue(values, nullValues) as Record<string, unknown>;
    }
  }
}
