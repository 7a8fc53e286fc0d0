import { Date as Neo4jDate, DateTime, LocalDateTime, LocalTime, int } from "neo4j-driver";
import { InvalidValue } from "../convert/invalid-value.js";
import { isDate } from "../convert/temporal-value.js";
import { UnreadableRow } from "./query-rows.js";

/** What graphload reads of a result column's definition (mysql2's FieldPacket has these). */
export interface MysqlColumn {
  readonly name: string;
  /** MYSQL_TYPE_*: the protocol's type number. */
  readonly columnType?: number;
  /** The display length: 1 for TINYINT(1) and BIT(1). */
  readonly columnLength?: number;
  /** 63 (binary) for bytes rather than text. */
  readonly characterSet?: number;
  /** A number from the server (mysql2's type also allows names). */
  readonly flags?: number | readonly string[];
}

/**
 * One value as the text protocol sends it (never NULL: the row gives null for that) to what
 * Neo4j should hold; InvalidValue for a value Neo4j has no counterpart for rejects the row, not the run.
 */
type Reader = (value: Buffer) => unknown;

const BINARY_CHARSET = 63;
const UNSIGNED = 32;
const MAX_INTEGER = 2n ** 63n - 1n;

/** Up to 15 characters, a sign included, a number is below 2^53 and converts through a double, several times faster than from text. */
const SAFE_LENGTH = 15;

const integer: Reader = (value) => (value.length <= SAFE_LENGTH ? int(Number(value.toString("latin1"))) : int(value.toString("latin1")));
const unsignedInteger: Reader = (value) => {
  const text = value.toString("latin1");
  if (BigInt(text) > MAX_INTEGER) throw new InvalidValue(`${text} is beyond Neo4j's 64-bit INTEGER`);
  return int(text);
};
const float: Reader = (value) => Number(value.toString("latin1"));
const utf8: Reader = (value) => value.toString("utf8");
/** A copy: the row's buffer belongs to the driver's packet. */
const bytes: Reader = (value) => new Int8Array(Uint8Array.prototype.slice.call(value).buffer);
const flag: Reader = (value) => value.toString("latin1") !== "0";
const bit: Reader = (value) => value.some((byte) => byte !== 0);
const bits: Reader = (value) => {
  let number = 0n;
  for (const byte of value) number = (number << 8n) | BigInt(byte);
  if (number > MAX_INTEGER) throw new InvalidValue(`BIT value ${number} is beyond Neo4j's 64-bit INTEGER`);
  return int(number.toString());
};

/**
 * `yyyy-MM-dd[ HH:mm:ss[.ffffff]]`, the one layout MySQL sends, as its parts, nanoseconds
 * last; null for MySQL's zero date, which stands for "no date" (so the property is left
 * unset, as JDBC's zeroDateTimeBehavior=convertToNull does); a date with zero or impossible
 * parts throws. Read by position, digit by digit: a regular expression took most of a row's time.
 */
function dateTimeParts(value: Buffer): number[] | null {
  const { length } = value;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const time = length > 10;
  const hour = time ? digits(value, 11, 2) : 0;
  const minute = time ? digits(value, 14, 2) : 0;
  const second = time ? digits(value, 17, 2) : 0;
  const fraction = length > 20 ? digits(value, 20, length - 20) * 10 ** (9 - (length - 20)) : 0;
  const layout =
    value[4] === DASH && value[7] === DASH && (length === 10 || (length >= 19 && value[10] === SPACE && value[13] === COLON && value[16] === COLON && (length === 19 || (value[19] === DOT && length > 20 && length <= 26))));
  const parts = [year, month, day, hour, minute, second, fraction];
  if (layout && parts.every((part) => part === 0)) return null;
  if (!layout || parts.some(Number.isNaN) || !isDate(year, month, day)) {
    throw new InvalidValue(`${value.toString("latin1")} is no date Neo4j can hold`);
  }
  return parts;
}

const [DASH, SPACE, COLON, DOT] = [..."- :."].map((char) => char.charCodeAt(0));

/** The number the ASCII digits at `from` write, NaN where one is no digit. */
function digits(value: Buffer, from: number, count: number): number {
  let number = 0;
  for (let at = from; at < from + count; at++) {
    const digit = value[at] - 48;
    if (!(digit >= 0 && digit <= 9)) return Number.NaN;
    number = number * 10 + digit;
  }
  return number;
}

const date: Reader = (value) => {
  const parts = dateTimeParts(value);
  return parts && new Neo4jDate(parts[0], parts[1], parts[2]);
};
const localDateTime: Reader = (value) => {
  const parts = dateTimeParts(value);
  return parts && new LocalDateTime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]);
};
/** The session's time zone is UTC (mysql-records.ts sets it), so the text is the instant at offset 0. */
const timestamp: Reader = (value) => {
  const parts = dateTimeParts(value);
  return parts && new DateTime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], 0);
};

const TIME = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/;

/** A time of day; MySQL's TIME also holds spans (-838:59:59 to 838:59:59), which are no time of day. */
const time: Reader = (value) => {
  const text = value.toString("latin1");
  const match = TIME.exec(text);
  if (!match || Number(match[1]) > 23) throw new InvalidValue(`TIME ${text} is no time of day; select it as TIME_TO_SEC(…) or CAST(… AS CHAR) to load it`);
  return new LocalTime(Number(match[1]), Number(match[2]), Number(match[3]), Number((match[4] ?? "").padEnd(9, "0")));
};

/** MYSQL_TYPE_* numbers. */
const TYPE = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  BIT: 16,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  TIME2: 19,
  JSON: 245,
  NEWDECIMAL: 246,
} as const;

/**
 * The reader for a column: TINYINT(1) and BIT(1) → BOOLEAN; other integers, YEAR and BIT(n)
 * → INTEGER, exact to 64 bits; DECIMAL → FLOAT, or its exact text with `decimal: "string"`;
 * FLOAT/DOUBLE → FLOAT; DATE → DATE; DATETIME → LOCAL DATETIME; TIMESTAMP → ZONED DATETIME;
 * TIME → LOCAL TIME; JSON → its text; binary strings (BINARY, VARBINARY, BLOB, …) → byte
 * arrays; every other type → STRING.
 */
function mysqlReader(column: MysqlColumn, decimal: "float" | "string"): Reader {
  switch (column.columnType) {
    case TYPE.TINY:
      return column.columnLength === 1 ? flag : integer;
    case TYPE.SHORT:
    case TYPE.LONG:
    case TYPE.INT24:
    case TYPE.YEAR:
      return integer;
    case TYPE.LONGLONG:
      return typeof column.flags === "number" && column.flags & UNSIGNED ? unsignedInteger : integer;
    case TYPE.BIT:
      return column.columnLength === 1 ? bit : bits;
    case TYPE.DECIMAL:
    case TYPE.NEWDECIMAL:
      return decimal === "string" ? utf8 : float;
    case TYPE.FLOAT:
    case TYPE.DOUBLE:
      return float;
    case TYPE.DATE:
    case TYPE.NEWDATE:
      return date;
    case TYPE.DATETIME:
    case TYPE.DATETIME2:
      return localDateTime;
    case TYPE.TIMESTAMP:
    case TYPE.TIMESTAMP2:
      return timestamp;
    case TYPE.TIME:
    case TYPE.TIME2:
      return time;
    // MySQL sends JSON with the binary character set; its text is UTF-8.
    case TYPE.JSON:
      return utf8;
    default:
      return column.characterSet === BINARY_CHARSET ? bytes : utf8;
  }
}

/** Rows as the text protocol gives them (one buffer or null per column) to records; a row with a value Neo4j cannot hold becomes an UnreadableRow. */
export function mysqlRows(columns: readonly MysqlColumn[], decimal: "float" | "string"): (row: readonly (Buffer | null)[]) => Record<string, unknown> | UnreadableRow {
  const readers = columns.map((column) => mysqlReader(column, decimal));
  const count = columns.length;
  return (row) => {
    const values: Record<string, unknown> = {};
    for (let at = 0; at < count; at++) {
      const value = row[at];
      if (value === null) {
        values[columns[at].name] = null;
        continue;
      }
      try {
        values[columns[at].name] = readers[at](value);
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
        return new UnreadableRow(asText(columns, row), `column ${columns[at].name}: ${error.message}`);
      }
    }
    return values;
  };
}

/** A rejected row for the dead-letter file: text as text, bytes in hexadecimal. */
function asText(columns: readonly MysqlColumn[], row: readonly (Buffer | null)[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column, at) => [column.name, row[at] && (mysqlReader(column, "string") === bytes ? `0x${row[at]!.toString("hex")}` : row[at]!.toString("utf8"))]));
}
