import { int } from "neo4j-driver";
import { isDriverValue } from "../convert/driver-value.js";
import { GraphloadError } from "../errors.js";
import { fieldColumns, type SourceSpec, type Task, type TaskSettings, type TaskTarget } from "../model/pipeline.js";
import { compileExtraColumns, type ExtraColumns } from "./extra-columns.js";
import { compileFieldReader, type FieldReader } from "./field-value.js";
import { nodeLayout, relationshipLayout, type FieldGroup, type RowLayout } from "./row-layout.js";
import { compileWhere, type ValueKind } from "./where-predicate.js";
import { wireFormat } from "./wire-format.js";

/**
 * One row of `$rows`: a positional list for node and relationship tasks (the layout
 * cypher-text.ts reads), a map of every column for cypher tasks.
 */
export type Row = unknown[] | Record<string, unknown>;

export interface MapperOptions {
  /** false: values stay as converted, for people to read, instead of in the form they travel in (wire-format.ts). */
  readonly wire: boolean;
  /** The source is a database whose values are typed already (SourceSpec kinds neo4j, postgres, mysql) or a Parquet file. */
  readonly typedValues: boolean;
}

/** Database sources give typed values and real NULLs; files give text and JSON to interpret. */
export function hasTypedValues(source: SourceSpec): boolean {
  return source.kind === "neo4j" || source.kind === "postgres" || source.kind === "mysql" || ((source.kind === "file" || source.kind === "files") && source.format === "parquet");
}

/** What a row mapper returns for a record that a task's `where` leaves out. */
export const FILTERED: unique symbol = Symbol("filtered");

/** Turns one source record into the parameter row that the task's Cypher expects, or FILTERED. */
export type RowMapper = (values: Readonly<Record<string, unknown>>) => Row | typeof FILTERED;

interface CompiledField {
  readonly property: string;
  /** The column, or a point's columns, that errors name. */
  readonly columns: string;
  readonly read: FieldReader;
  readonly encode: (value: unknown) => unknown;
}

interface CompiledGroup {
  readonly fields: readonly CompiledField[];
  readonly required?: string;
}

function compileGroup(group: FieldGroup, settings: TaskSettings, { wire, typedValues }: MapperOptions): CompiledGroup {
  const fields = group.fields.map((field) => ({
    property: field.property,
    columns: fieldColumns(field).join(", "),
    read: compileFieldReader(field, settings.nullValues, { typedValues, wire }),
    encode: wire ? wireFormat(field.type).encode : (value: unknown) => value,
  }));
  const required = group.required;
  if (required === undefined) return { fields };
  // A key without a value cannot be matched or merged on: the row is rejected.
  return {
    required,
    fields: fields.map((field) => ({
      ...field,
      read: (values) => {
        const value = field.read(values);
        if (value === null) {
          throw new GraphloadError("GL_NULL_KEY", `${required} "${field.property}" has no value (column "${field.columns}")`, { column: field.columns });
        }
        return value;
      },
    })),
  };
}

/** Appends the group's values to `row`. */
function pushValues(row: unknown[], group: CompiledGroup, values: Readonly<Record<string, unknown>>): void {
  for (const field of group.fields) {
    const value = field.read(values);
    row.push(value === null ? null : field.encode(value));
  }
}

/** A node or relationship row: the layout's groups in order, then the other columns' map. */
function compilePositional(layout: RowLayout, settings: TaskSettings, options: MapperOptions, extra: ExtraColumns | undefined): (values: Readonly<Record<string, unknown>>) => Row {
  const groups = layout.groups.map((group) => compileGroup(group, settings, options));
  return (values) => {
    const row: unknown[] = [];
    for (const group of groups) pushValues(row, group, values);
    if (extra) row.push(extra(values));
    return row;
  };
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
 * The row mapper of a task: FILTERED for a record its `where` leaves out, else the row its
 * statement expects; a GraphloadError (`GL_BAD_VALUE`, `GL_NULL_KEY`, …) for a row that
 * cannot be written.
 */
export function compileRowMapper(task: Task, { wire = true }: { wire?: boolean } = {}): RowMapper {
  const typedValues = hasTypedValues(task.source);
  const map = compileTargetMapper(task, { wire, typedValues });
  if (!task.where) return map;
  const holds = compileWhere(task.where, { kind: valueKind(task.source), nullValues: task.settings.nullValues });
  return (values) => (holds(values) ? map(values) : FILTERED);
}

function compileTargetMapper(task: Task, options: MapperOptions): (values: Readonly<Record<string, unknown>>) => Row {
  const { target, settings } = task;
  switch (target.kind) {
    case "node":
      return compilePositional(nodeLayout(target), settings, options, compileExtraColumns(task, options));
    case "relationship":
      return compilePositional(relationshipLayout(target), settings, options, compileExtraColumns(task, options));
    case "cypher": {
      const nullValues = new Set(settings.nullValues);
      if (options.typedValues) return (values) => ({ ...values });
      return (values) => plainValue(values, nullValues) as Record<string, unknown>;
    }
  }
}

/** How the values of a source compare in `where`: CSV and TSV cells are text. */
function valueKind(source: SourceSpec): ValueKind {
  if (hasTypedValues(source)) return "typed";
  return (source.kind === "file" || source.kind === "files" || source.kind === "stdin") && source.format !== "jsonl" ? "text" : "json";
}

/** The names of a positional row's values, for people reading one: `id`, `from.id`, `to.id`, …, `allColumns`. */
export function rowFieldNames(target: TaskTarget): readonly string[] | undefined {
  if (target.kind === "cypher") return undefined;
  const layout = target.kind === "node" ? nodeLayout(target) : relationshipLayout(target);
  const names = layout.groups.flatMap((group) => group.fields.map((field) => group.prefix + field.property));
  return layout.extra === undefined ? names : [...names, "allColumns"];
}
