import { int, isInt, type Integer } from "neo4j-driver";
import { DRIVER_TYPES } from "./driver-value.js";
import { GraphloadError } from "../errors.js";
import type { ScalarType } from "../model/pipeline.js";
import { parseDuration } from "./duration-value.js";
import { InvalidValue } from "./invalid-value.js";
import { isoTemporalParser } from "./iso-temporal.js";
import { toPoint } from "./point-value.js";
import { compileTemporalFormat, type TemporalFormat } from "./temporal-format.js";
import { isDate, toTemporal, type TemporalType } from "./temporal-value.js";

/** Converts one non-null value to a type; throws InvalidValue when it cannot. */
export type ScalarConverter = (value: unknown) => unknown;

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Postgres writes t/f, spreadsheets TRUE/FALSE, forms yes/no, flags 1/0. */
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ["true", true],
  ["false", false],
  ["t", true],
  ["f", false],
  ["yes", true],
  ["no", false],
  ["y", true],
  ["n", false],
  ["1", true],
  ["0", false],
]);
const MIN_INTEGER = -(2n ** 63n);
const MAX_INTEGER = 2n ** 63n - 1n;
const MINUS = 45;
const ZERO = 48;
/** Up to this many digits a decimal integer is exact as a JS number. */
const SAFE_DIGITS = 15;

/**
 * The converter of a scalar type; `format` is a temporal pattern, ISO 8601 when absent.
 * With `wire`, integers and ISO dates come out in the form they travel in (plan/wire-format.ts):
 * an integer as the text it was written as when that is its plain decimal form (`42`, `-7`),
 * else as a number when it is safe; a date as its ISO text. The row then needs no Integer or
 * Date object that would only be taken apart again, and its integers may travel in one string.
 */
export function scalarConverter(scalar: ScalarType, format: string | undefined, wire = false, timezone?: string): ScalarConverter {
  const convert =
    wire && scalar === "integer" ? toWireInteger : wire && scalar === "date" && format === undefined ? wireDate(textConverter(scalar, format)) : textConverter(scalar, format, timezone);
  // Values a Neo4j source gives with their type already pass as they are.
  const typed = DRIVER_TYPES[scalar];
  return typed ? (value) => (typeof value === "object" && typed(value) ? value : convert(value)) : convert;
}

function textConverter(scalar: ScalarType, format: string | undefined, timezone?: string): ScalarConverter {
  switch (scalar) {
    case "string":
      return toText;
    case "integer":
      return toInteger;
    case "float":
      return toFloat;
    case "boolean":
      return toBoolean;
    case "duration":
      return (value) => parseDuration(trimmedText(value));
    case "point":
      return toPoint;
    default:
      return format === undefined ? isoConverter(scalar, timezone) : formatConverter(scalar, compileTemporalFormat(format));
  }
}

function toText(value: unknown): string {
  if (typeof value === "string") return value;
  if (isInt(value)) return value.toString();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new InvalidValue();
}

function trimmedText(value: unknown): string {
  if (typeof value !== "string") throw new InvalidValue();
  return value.trim();
}

function toInteger(value: unknown): Integer {
  const integer = toWireInteger(value);
  return typeof integer === "object" ? integer : int(integer);
}

/**
 * An integer written in its plain decimal form with up to SAFE_DIGITS digits as that text, any
 * other safe integer as a number, a larger one as an Integer. Only the plain form stays text, so
 * that a key's hash (plan/key-hash.ts), which reads a value as text, is the same for `7`, `007`
 * and `+7`, and for a number 7 from JSON.
 */
function toWireInteger(value: unknown): string | number | Integer {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return value;
    throw new InvalidValue(Number.isInteger(value) ? "a JSON number this large is not exact; write it as a string" : undefined);
  }
  const text = trimmedText(value);
  const sign = text[0] === "-" || text[0] === "+" ? 1 : 0;
  const digits = text.length - sign;
  if (digits === 0) throw new InvalidValue();
  for (let i = sign; i < text.length; i++) if (digitAt(text, i) < 0) throw new InvalidValue();
  if (digits <= SAFE_DIGITS) {
    // The plain form is what String() gives for the number: no plus sign, no leading zero, not -0.
    const plain = text[0] !== "+" && (digitAt(text, sign) !== 0 || (digits === 1 && sign === 0));
    return plain ? text : Number(text);
  }
  const big = BigInt(text);
  if (big < MIN_INTEGER || big > MAX_INTEGER) throw new InvalidValue("beyond the 64-bit range");
  return int(big.toString());
}

/** The decimal digit at `at`, or -1 for any other character (or none). */
function digitAt(text: string, at: number): number {
  const digit = text.charCodeAt(at) - ZERO;
  return digit >= 0 && digit <= 9 ? digit : -1;
}

/**
 * An ISO date that is already in the form `date()` reads back (`1996-07-04`) travels as
 * the text it is, once its calendar is checked; any other form goes through the full parser.
 */
function wireDate(parse: ScalarConverter): ScalarConverter {
  return (value) => {
    if (typeof value === "string" && value.length === 10 && plainDate(value)) return value;
    const date = parse(value);
    return typeof date === "object" && date !== null ? String(date) : date;
  };
}

/** `yyyy-MM-dd` naming a day of the calendar; read from the character codes, with no string cut out per part. */
function plainDate(text: string): boolean {
  let year = 0;
  let month = 0;
  let day = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) {
      if (text.charCodeAt(i) !== MINUS) return false;
      continue;
    }
    const digit = digitAt(text, i);
    if (digit < 0) return false;
    if (i < 4) year = year * 10 + digit;
    else if (i < 7) month = month * 10 + digit;
    else day = day * 10 + digit;
  }
  return isDate(year, month, day);
}

function toFloat(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "object" && isInt(value)) return value.toNumber();
  const text = trimmedText(value);
  const number = FLOAT.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(number)) throw new InvalidValue();
  return number;
}

function toBoolean(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0) return value === 1;
  if (value === "true") return true;
  if (value === "false") return false;
  const result = typeof value === "string" ? BOOLEANS.get(value.trim().toLowerCase()) : undefined;
  if (result === undefined) throw new InvalidValue("expected true/false, yes/no or 1/0");
  return result;
}

function isoConverter(type: TemporalType, timezone: string | undefined): ScalarConverter {
  let parse: (text: string) => unknown;
  try {
    parse = isoTemporalParser(type, timezone);
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    throw new GraphloadError("GL_INVALID_VALUE", error.reason ?? `timezone "${timezone}" cannot serve a ${type}`, { timezone });
  }
  return (value) => parse(trimmedText(value));
}

const FORMAT_NEEDS: Readonly<Record<TemporalType, (format: TemporalFormat) => string | undefined>> = {
  date: (format) => (format.hasDate ? undefined : "a year, month and day"),
  localdatetime: (format) => (format.hasDate && format.hasTime ? undefined : "a year, month, day and hour"),
  datetime: (format) =>
    format.hasDate && format.hasTime && (format.hasOffset || format.hasZone) ? undefined : "a year, month, day, hour and an offset or zone",
  localtime: (format) => (format.hasTime ? undefined : "an hour"),
  time: (format) => (format.hasTime && format.hasOffset ? undefined : "an hour and an offset"),
};

/** Fields a pattern has beyond what the type holds are read and dropped, as in java.time. */
function formatConverter(type: TemporalType, format: TemporalFormat): ScalarConverter {
  const missing = FORMAT_NEEDS[type](format);
  if (missing) {
    throw new GraphloadError("GL_INVALID_VALUE", `format "${format.pattern}" cannot make a ${type}: it needs ${missing}`, { format: format.pattern });
  }
  return (value) => toTemporal(type, format.parse(trimmedText(value)));
}
