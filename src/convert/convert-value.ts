import { int } from "neo4j-driver";
import { GraphloadError } from "../errors.js";
import type { ColumnField, ScalarType } from "../model/pipeline.js";
import { isDriverValue } from "./driver-value.js";
import { InvalidValue } from "./invalid-value.js";
import { scalarConverter, type ScalarConverter } from "./scalar-converters.js";

/** Turns the value a source gave for one column into the property value sent to Neo4j (null: leave unset). */
export type ValueConverter = (raw: unknown) => unknown;

const LABELS: Readonly<Record<ScalarType, string>> = {
  string: "a string",
  integer: "an integer",
  float: "a float",
  boolean: "a boolean",
  date: "a date",
  datetime: "a datetime",
  localdatetime: "a localdatetime",
  time: "a time",
  localtime: "a localtime",
  duration: "a duration",
  point: "a point",
};
const SHOWN_LENGTH = 60;

/**
 * Makes every per-field decision once: the type's parser, a compiled temporal pattern, the
 * null test. Values in `nullValues` (compared as given, untrimmed) and missing values become
 * null. Without a type a value passes as the source gave it, except that whole JSON numbers
 * become INTEGER. A list cell is split on the field's `arrayDelimiter` without trimming, so
 * string elements keep their spaces (numbers, booleans and temporals ignore surrounding
 * space anyway); an empty cell is null, not an empty list. A value that does not convert
 * throws GL_BAD_VALUE naming the column, the value and the type; a pattern that cannot
 * work for the type throws GL_INVALID_VALUE here, before any value is read.
 */
export function compileConverter(field: ColumnField, nullValues: readonly string[], { typedValues = false, wire = false } = {}): ValueConverter {
  // A database gives typed values and says NULL itself: nothing to guess from text there.
  if (typedValues && !field.type) return (raw) => raw ?? null;
  const isNull = nullTest(typedValues ? [] : nullValues);
  const { type } = field;
  if (!type) return untypedConverter(field, isNull);
  let convert: ScalarConverter;
  try {
    convert = scalarConverter(type.scalar, field.format, wire, field.timezone);
  } catch (error) {
    if (!(error instanceof GraphloadError)) throw error;
    throw new GraphloadError(error.code, `${fieldName(field)}: ${error.message}`, { ...error.context, column: field.column, property: field.property });
  }
  const label = LABELS[type.scalar];
  if (type.list) return listConverter(field, convert, isNull, label);
  return (raw) => {
    if (raw === undefined || raw === null || (typeof raw === "string" && isNull(raw))) return null;
    try {
      return convert(raw);
    } catch (error) {
      throw badValue(field, error, raw, label);
    }
  };
}

/** One value; where many values of a field are converted, compile the converter once instead. */
export function convertValue(raw: unknown, field: ColumnField, nullValues: readonly string[]): unknown {
  return compileConverter(field, nullValues)(raw);
}

function nullTest(nullValues: readonly string[]): (text: string) => boolean {
  if (nullValues.length === 0) return () => false;
  if (nullValues.length === 1) {
    const only = nullValues[0];
    return (text) => text === only;
  }
  const set = new Set(nullValues);
  return (text) => set.has(text);
}

function listConverter(field: ColumnField, convert: ScalarConverter, isNull: (text: string) => boolean, label: string): ValueConverter {
  const { arrayDelimiter } = field;
  const element = (value: unknown, list: unknown): unknown => {
    try {
      if (value === undefined || value === null) throw new InvalidValue("a list cannot hold null");
      return convert(value);
    } catch (error) {
      throw badValue(field, error, value, label, list);
    }
  };
  return (raw) => {
    if (raw === undefined || raw === null || raw === "") return null;
    if (typeof raw === "string") {
      if (isNull(raw)) return null;
      const items: unknown[] = raw.split(arrayDelimiter);
      for (let i = 0; i < items.length; i++) items[i] = element(items[i], raw);
      return items;
    }
    if (Array.isArray(raw)) return raw.map((item) => element(item, raw));
    throw badValue(field, new InvalidValue(), raw, `a list (${field.type?.scalar}[])`);
  };
}

function untypedConverter(field: ColumnField, isNull: (text: string) => boolean): ValueConverter {
  return (raw) => {
    if (raw === undefined || raw === null) return null;
    if (typeof raw === "string") return isNull(raw) ? null : raw;
    try {
      return asProperty(raw);
    } catch (error) {
      throw badValue(field, error, raw, "a property value");
    }
  };
}

/**
 * JSON values as Neo4j takes them: whole numbers are INTEGER, maps are no property value.
 * Values a Neo4j source gives keep their type.
 */
function asProperty(value: unknown): unknown {
  if (typeof value === "number") return Number.isSafeInteger(value) ? int(value) : value;
  if (Array.isArray(value)) return value.map(asProperty);
  if (isDriverValue(value)) return value;
  if (typeof value === "object" && value !== null) throw new InvalidValue('a map; give the field type "point" for a point');
  return value;
}

/** The GL_BAD_VALUE error for a value that failed with InvalidValue; any other error is a bug and passes. */
function badValue(field: ColumnField, error: unknown, value: unknown, label: string, list?: unknown): unknown {
  if (!(error instanceof InvalidValue)) return error;
  const where = list === undefined ? "" : ` in ${show(list)}`;
  const reason = error.reason === undefined ? "" : ` (${error.reason})`;
  return new GraphloadError("GL_BAD_VALUE", `${fieldName(field)}: ${show(value)}${where} is not ${label}${reason}`, {
    column: field.column,
    property: field.property,
    value: show(list ?? value),
    type: field.type ? `${field.type.scalar}${field.type.list ? "[]" : ""}` : undefined,
  });
}

/** The column as the data names it, and the property where the pipeline calls it otherwise. */
export function fieldName(field: Pick<ColumnField, "column" | "property">): string {
  return field.property === field.column ? `column "${field.column}"` : `column "${field.column}" (property "${field.property}")`;
}

function show(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}…` : text;
  return typeof value === "string" ? JSON.stringify(cut) : cut;
}
