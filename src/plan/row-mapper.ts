import { int } from "neo4j-driver";
import { compileConverter } from "../convert/convert-value.js";
import { wireFormat } from "./wire-format.js";
import { GraphloadError } from "../errors.js";
import { isDriverValue } from "../convert/driver-value.js";
import type { FieldMapping, SourceSpec, TaskSettings, TaskTarget } from "../pipeline/pipeline.js";

/**
 * One row of `$rows`: a positional list for node and relationship tasks (the layout
 * cypher-text.ts reads), a map of every column for cypher tasks.
 */
export type Row = unknown[] | Record<string, unknown>;

export interface MapperOptions {
  /** false: values stay as converted, for people to read, instead of in the form they travel in (wire-format.ts). */
  readonly wire: boolean;
  /** The source is a database whose values are typed already (SourceSpec kinds neo4j, postgres). */
  readonly typedValues: boolean;
}

/** Database sources give typed values and real NULLs; files give text and JSON to interpret. */
export function hasTypedValues(source: SourceSpec): boolean {
  return source.kind === "neo4j" || source.kind === "postgres";
}

/** What a row mapper returns for a record that a task's `where` leaves out. */
export const FILTERED: unique symbol = Symbol("filtered");

/** Turns one source record into the parameter row that the task's Cypher expects, or FILTERED. */
export type RowMapper = (values: Readonly<Record<string, unknown>>) => Row | typeof FILTERED;

interface CompiledField {
  readonly property: string;
  readonly column: string;
  readonly convert: (raw: unknown) => unknown;
  readonly encode: (value: unknown) => unknown;
}

function compileFields(fields: readonly FieldMapping[], settings: TaskSettings, { wire, typedValues }: MapperOptions): CompiledField[] {
  return fields.map((field) => ({
    property: field.property,
    column: field.column,
    convert: compileConverter(field, settings.nullValues, { typedValues }),
    encode: wire ? wireFormat(field.type).encode : (value: unknown) => value,
  }));
}

/** Appends the fields' values to `row`; a key field without a value rejects the row. */
function pushValues(row: unknown[], fields: readonly CompiledField[], values: Readonly<Record<string, unknown>>, key?: string): void {
  for (const field of fields) {
    const value = field.convert(values[field.column]);
    if (value === null && key !== undefined) {
      throw new GraphloadError("GL_NULL_KEY", `${key} key "${field.property}" has no value (column "${field.column}")`, { column: field.column });
    }
    row.push(value === null ? null : field.encode(value));
  }
}

/**
 * Rows of a cypher task carry every column. Without declared types, CSV cells stay strings
 * (null where the task's nullValues say so) and JSON whole numbers become INTEGER, as a
 * JSON Lines user would expect.
 */
function plainValue(value: unknown, nullValues: ReadonlySet<string>): unknown {
  if (value === undefined || value === null) return null;
  if (isDriverValue(value)) return value;
  if (typeof value === "string") return nullValues.has(value) ? null : value;
  if (typeof value === "number") return Number.isInteger(value) ? int(value) : value;
  if (Array.isArray(value)) return value.map((item) => plainValue(item, nullValues));
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainValue(item, nullValues)]));
  }
  return value;
}

/**
 * Fails with a GraphloadError (`GL_BAD_VALUE`, `GL_NULL_KEY`) for a row that cannot be
 * written.
 */
export function compileRowMapper(target: TaskTarget, settings: TaskSettings, { wire = true, typedValues = false }: Partial<MapperOptions> = {}): RowMapper {
  const options = { wire, typedValues };
  switch (target.kind) {
    case "node": {
      const key = compileFields(target.key, settings, options);
      const properties = compileFields(target.properties, settings, options);
      return (values) => {
        const row: unknown[] = [];
        pushValues(row, key, values, "node");
        pushValues(row, properties, values);
        return row;
      };
    }
    case "relationship": {
      const from = compileFields(target.from.key, settings, options);
      const to = compileFields(target.to.key, settings, options);
      const properties = compileFields(target.properties, settings, options);
      return (values) => {
        const row: unknown[] = [];
        pushValues(row, from, values, "start node");
        pushValues(row, to, values, "end node");
        pushValues(row, properties, values);
        return row;
      };
    }
    case "cypher": {
      const nullValues = new Set(settings.nullValues);
      if (typedValues) return (values) => ({ ...values });
      return (values) => plainValue(values, nullValues) as Record<string, unknown>;
    }
  }
}

/** The names of a positional row's values, for people reading one: `id`, `from.id`, `to.id`, … */
export function rowFieldNames(target: TaskTarget): readonly string[] | undefined {
  const names = (fields: readonly FieldMapping[], prefix = "") => fields.map((field) => prefix + field.property);
  switch (target.kind) {
    case "node":
      return [...names(target.key), ...names(target.properties)];
    case "relationship":
      return [...names(target.from.key, "from."), ...names(target.to.key, "to."), ...names(target.properties)];
    case "cypher":
      return undefined;
  }
}
