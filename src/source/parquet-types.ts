import type { SchemaElement, SchemaTree } from "hyparquet";
import { Date as DateValue, DateTime, Integer, LocalDateTime, LocalTime, Time, int } from "neo4j-driver";
import { InvalidValue } from "../convert/invalid-value.js";
import type { DecimalMode } from "../model/pipeline.js";

/** Turns one non-null value hyparquet decoded into the value Neo4j should hold; throws InvalidValue when it cannot. */
export type ParquetConverter = (value: unknown) => unknown;

/** A top-level column and the converter its values need; none where hyparquet's value is Neo4j's already. */
export interface ParquetColumn {
  readonly name: string;
  /** What the column holds, for people: `INT64`, `TIMESTAMP(MICROS, UTC)`, `LIST<STRING>`, … */
  readonly type: string;
  readonly convert: ParquetConverter | undefined;
}

/**
 * The parsers hyparquet calls for dates and timestamps, made to hand over the stored number
 * as it is: the converters below make Neo4j's temporal values of it, at full precision and
 * by arithmetic alone, with no JavaScript Date and so no client time zone. JSON stays its
 * text, as the contract says of JSON columns.
 */
export const RAW_PARSERS = {
  timestampFromMilliseconds: (value: bigint | number) => value,
  timestampFromMicroseconds: (value: bigint | number) => value,
  timestampFromNanoseconds: (value: bigint | number) => value,
  dateFromDays: (value: number) => value,
  jsonFromBytes: (bytes: Uint8Array | undefined) => bytes && TEXT.decode(bytes),
} as const;

const TEXT = new TextDecoder();
const NANOS_PER_DAY = 86_400_000_000_000n;
const NANOS_PER_UNIT = { MILLIS: 1_000_000n, MICROS: 1_000n, NANOS: 1n } as const;
type TimeUnit = keyof typeof NANOS_PER_UNIT;
const MAX_INTEGER = 2n ** 63n - 1n;

/**
 * The columns of a file's schema with their converters: INT32/INT64 → INTEGER (exact),
 * FLOAT/DOUBLE, BOOLEAN and STRING as they are, DATE → DATE, TIMESTAMP → LOCAL DATETIME or,
 * adjusted to UTC, ZONED DATETIME at UTC; TIME likewise; DECIMAL → FLOAT or exact STRING;
 * LIST → a list of its elements' values; BINARY → a byte array; JSON and ENUM → STRING.
 *
 * DECIMAL annotations are taken off the schema here (their scale kept in the converter), so
 * that hyparquet hands over the unscaled integer instead of a float already rounded.
 */
export function parquetColumns(schema: SchemaTree, decimal: DecimalMode): ParquetColumn[] {
  return schema.children.map((child) => {
    const { type, convert } = nodeConverter(child, decimal);
    return { name: child.element.name, type, convert };
  });
}

function nodeConverter(node: SchemaTree, decimal: DecimalMode): { type: string; convert: ParquetConverter | undefined } {
  const { element } = node;
  if (isList(element) && node.children.length === 1) {
    // The three-level form (list → repeated group → element); a legacy two-level list repeats the element itself.
    const repeated = node.children[0];
    const item = repeated.children.length === 1 && !isStructElement(repeated) ? repeated.children[0] : repeated;
    const inner = nodeConverter(item, decimal);
    const convertItem = inner.convert;
    return {
      type: `LIST<${inner.type}>`,
      convert: convertItem && ((value) => (Array.isArray(value) ? value.map((item) => (item === null || item === undefined ? item : convertItem(item))) : value)),
    };
  }
  if (node.children.length > 0) return { type: element.converted_type === "MAP" || element.logical_type?.type === "MAP" ? "MAP" : "STRUCT", convert: undefined };
  return leafConverter(element, decimal);
}

/** pyarrow names a list's repeated group `list` and its item `element`; a repeated group of several fields is a list of structs. */
function isStructElement(element: SchemaTree): boolean {
  return element.children.length !== 1;
}

function isList(element: SchemaElement): boolean {
  return element.converted_type === "LIST" || element.logical_type?.type === "LIST";
}

function leafConverter(element: SchemaElement, decimal: DecimalMode): { type: string; convert: ParquetConverter | undefined } {
  const logical = element.logical_type;
  const converted = element.converted_type;
  if (logical?.type === "DECIMAL" || converted === "DECIMAL") {
    const scale = logical?.type === "DECIMAL" ? logical.scale : (element.scale ?? 0);
    const precision = logical?.type === "DECIMAL" ? logical.precision : element.precision;
    // hyparquet would divide by 10^scale in floating point; the exact integer is wanted.
    delete element.logical_type;
    delete element.converted_type;
    const text = (value: unknown): string => decimalText(unscaled(value), scale);
    return { type: `DECIMAL(${precision},${scale})`, convert: decimal === "string" ? text : (value) => Number(text(value)) };
  }
  const timestamp = timeAnnotation(element, "TIMESTAMP");
  if (timestamp) {
    const { unit, utc } = timestamp;
    const perUnit = NANOS_PER_UNIT[unit];
    const make = utc ? zonedDateTime : localDateTime;
    return { type: `TIMESTAMP(${unit}${utc ? ", UTC" : ""})`, convert: (value) => make(BigInt(value as bigint | number) * perUnit) };
  }
  if (element.type === "INT96") {
    // Impala's and old Spark's nanosecond timestamps; read without a zone, as Arrow and DuckDB read them.
    return { type: "INT96 TIMESTAMP", convert: (value) => localDateTime(value as bigint) };
  }
  const time = timeAnnotation(element, "TIME");
  if (time) {
    const { unit, utc } = time;
    const perUnit = NANOS_PER_UNIT[unit];
    return { type: `TIME(${unit}${utc ? ", UTC" : ""})`, convert: (value) => timeOfDay(BigInt(value as bigint | number) * perUnit, utc) };
  }
  if (logical?.type === "DATE" || converted === "DATE") return { type: "DATE", convert: (value) => date(value as number) };
  if (logical?.type === "STRING" || converted === "UTF8") return { type: "STRING", convert: undefined };
  if (logical?.type === "JSON" || converted === "JSON") return { type: "JSON", convert: undefined };
  if (logical?.type === "UUID") return { type: "UUID", convert: undefined };
  if (logical?.type === "FLOAT16") return { type: "FLOAT16", convert: undefined };
  if (logical?.type === "ENUM" || converted === "ENUM") return { type: "ENUM", convert: (value) => (value instanceof Uint8Array ? TEXT.decode(value) : value) };
  switch (element.type) {
    case "INT32":
      return { type: "INT32", convert: (value) => int(value as number) };
    case "INT64":
      return { type: converted === "UINT_64" || (logical?.type === "INTEGER" && !logical.isSigned) ? "UINT64" : "INT64", convert: integer };
    case "BYTE_ARRAY":
    case "FIXED_LEN_BYTE_ARRAY":
      // Neo4j's byte arrays are signed bytes; the driver sends an Int8Array as one.
      return { type: "BINARY", convert: (value) => (value instanceof Uint8Array ? new Int8Array(value.buffer, value.byteOffset, value.byteLength) : value) };
    default:
      return { type: element.type ?? "NULL", convert: undefined };
  }
}

/** A TIMESTAMP's or TIME's unit and whether it is adjusted to UTC, by its logical type or its legacy converted type (defined as adjusted to UTC). */
function timeAnnotation(element: SchemaElement, kind: "TIMESTAMP" | "TIME"): { unit: TimeUnit; utc: boolean } | undefined {
  const logical = element.logical_type;
  if ((logical?.type === "TIMESTAMP" || logical?.type === "TIME") && logical.type === kind) return { unit: logical.unit, utc: logical.isAdjustedToUTC };
  const converted = element.converted_type;
  if (converted === `${kind}_MILLIS`) return { unit: "MILLIS", utc: true };
  if (converted === `${kind}_MICROS`) return { unit: "MICROS", utc: true };
  return undefined;
}

/** A 64-bit value as an exact Integer; unsigned ones beyond Neo4j's signed range do not fit. */
function integer(value: unknown): Integer {
  if (typeof value === "number") return int(value);
  const big = value as bigint;
  const small = Number(big);
  if (Number.isSafeInteger(small)) return int(small);
  if (big > MAX_INTEGER) throw new InvalidValue("beyond the 64-bit signed range of a Neo4j INTEGER");
  return int(big);
}

/** A decimal's unscaled integer as hyparquet hands it over: INT32, INT64, or big-endian two's-complement bytes. */
function unscaled(value: unknown): bigint {
  if (typeof value === "number" || typeof value === "bigint") return BigInt(value);
  const bytes = value as Uint8Array;
  let result = 0n;
  for (const byte of bytes) result = (result << 8n) | BigInt(byte);
  if (bytes.length > 0 && bytes[0] >= 0x80) result -= 1n << BigInt(bytes.length * 8);
  return result;
}

/** `1234` at scale 2 is `12.34`; the scale's digits are all kept (`12.30`), as the column declares them. */
export function decimalText(value: bigint, scale: number): string {
  if (scale <= 0) return (value * 10n ** BigInt(-scale)).toString();
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** The proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function date(days: number): DateValue<number> {
  const [year, month, day] = civilFromDays(days);
  return new DateValue(year, month, day);
}

/** Nanoseconds since 1970-01-01T00:00 split into a day and the nanoseconds into it, both rounded down. */
function splitDays(nanos: bigint): { days: number; nanosOfDay: number } {
  let days = nanos / NANOS_PER_DAY;
  let rest = nanos - days * NANOS_PER_DAY;
  if (rest < 0n) {
    days -= 1n;
    rest += NANOS_PER_DAY;
  }
  return { days: Number(days), nanosOfDay: Number(rest) };
}

function clock(nanosOfDay: number): [hour: number, minute: number, second: number, nanosecond: number] {
  const seconds = Math.floor(nanosOfDay / 1e9);
  return [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60, nanosOfDay - seconds * 1e9];
}

function localDateTime(nanos: bigint): LocalDateTime<number> {
  const { days, nanosOfDay } = splitDays(nanos);
  return new LocalDateTime(...civilFromDays(days), ...clock(nanosOfDay));
}

function zonedDateTime(nanos: bigint): DateTime<number> {
  const { days, nanosOfDay } = splitDays(nanos);
  return new DateTime(...civilFromDays(days), ...clock(nanosOfDay), 0);
}

function timeOfDay(nanos: bigint, utc: boolean): LocalTime<number> | Time<number> {
  const [hour, minute, second, nanosecond] = clock(Number(nanos));
  return utc ? new Time(hour, minute, second, nanosecond, 0) : new LocalTime(hour, minute, second, nanosecond);
}
