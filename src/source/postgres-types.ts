import { int } from "neo4j-driver";
import { parse as parseArray } from "postgres-array";
import { scalarConverter } from "../convert/scalar-converters.js";

/** Turns the text PostgreSQL sends for a value of one type into the value Neo4j should hold. */
export type PostgresParser = (text: string) => unknown;

const toDate = scalarConverter("date", undefined);
const toLocalDateTime = scalarConverter("localdatetime", undefined);
const toDateTime = scalarConverter("datetime", undefined);

const integer: PostgresParser = (text) => int(text);
const float: PostgresParser = (text) => Number(text);
const boolean: PostgresParser = (text) => text === "t";
const date: PostgresParser = (text) => toDate(text);
/** `1996-07-04 00:00:00[.ffffff]` */
const timestamp: PostgresParser = (text) => toLocalDateTime(text.replace(" ", "T"));
/** `1996-07-04 00:00:00+02` or `+05:30`: the offset as ISO 8601 wants it. */
const timestamptz: PostgresParser = (text) => toDateTime(text.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"));
const text: PostgresParser = (value) => value;

const NUMERIC = 1700;

/**
 * By type OID (pg_type): int2/int4/int8 → INTEGER, numeric/float4/float8 → FLOAT (numeric
 * its exact text with `decimal: "string"`), bool,
 * date → DATE, timestamp → LOCAL DATETIME, timestamptz → ZONED DATETIME, arrays of these
 * → lists, json/jsonb and every other type → STRING as PostgreSQL writes it. NULL never
 * reaches a parser: the driver gives null, and the property is left unset.
 */
const SCALARS: ReadonlyMap<number, PostgresParser> = new Map([
  [21, integer],
  [23, integer],
  [20, integer],
  [700, float],
  [701, float],
  [NUMERIC, float],
  [16, boolean],
  [1082, date],
  [1114, timestamp],
  [1184, timestamptz],
]);

/** Array type OID → element type OID. */
const ARRAYS: ReadonlyMap<number, number> = new Map([
  [1005, 21],
  [1007, 23],
  [1016, 20],
  [1021, 700],
  [1022, 701],
  [1231, NUMERIC],
  [1000, 16],
  [1182, 1082],
  [1115, 1114],
  [1185, 1184],
  [1009, 25],
  [1015, 1043],
  [1014, 1042],
  [199, 114],
  [3807, 3802],
]);

export function postgresParser(oid: number, decimal: "float" | "string"): PostgresParser {
  const scalar = (type: number): PostgresParser => (type === NUMERIC && decimal === "string" ? text : (SCALARS.get(type) ?? text));
  const element = ARRAYS.get(oid);
  if (element !== undefined) {
    const parseElement = scalar(element);
    return (value) => parseArray(value, (item) => (item === null ? null : parseElement(item)));
  }
  return scalar(oid);
}
