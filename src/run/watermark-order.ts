import { int, isDate, isDateTime, isInt, isLocalDateTime, type Integer } from "neo4j-driver";
import { GraphloadError } from "../errors.js";

/** The kinds of value a watermark can be; two values compare only within one kind. */
type WatermarkKind = "number" | "text" | "date" | "localdatetime" | "datetime";

type Fields = Record<"year" | "month" | "day" | "hour" | "minute" | "second" | "nanosecond", unknown>;

/**
 * Orders two values of an incremental column as the database does: numbers by value
 * (Integers exactly, beyond 2^53 too), dates and local date-times by their fields, zoned
 * date-times by the instant, text by code point (so a text column must not depend on a
 * collation: ISO timestamps, zero-padded numbers). Throws GL_WATERMARK_TYPE for values of
 * another type, or of two kinds.
 */
export function compareWatermarks(a: unknown, b: unknown, column: string): number {
  const kind = kindOf(a, column);
  const other = kindOf(b, column);
  if (kind !== other) {
    throw new GraphloadError("GL_WATERMARK_TYPE", `incremental column "${column}" holds values of two kinds (${kind} and ${other}); the watermark must keep one type`);
  }
  switch (kind) {
    case "number":
      return compareNumbers(a, b);
    case "text":
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case "date":
      return compareFields(a as Fields, b as Fields, 3);
    case "localdatetime":
      return compareFields(a as Fields, b as Fields, 7);
    case "datetime":
      return compareInstants(a as Fields & { timeZoneOffsetSeconds?: unknown }, b as Fields & { timeZoneOffsetSeconds?: unknown });
  }
}

/** The higher of a value and the highest so far (undefined: none yet). */
export function higherWatermark(value: unknown, highest: unknown, column: string): unknown {
  return highest === undefined || compareWatermarks(value, highest, column) > 0 ? value : highest;
}

function kindOf(value: unknown, column: string): WatermarkKind {
  if (typeof value === "number" || typeof value === "bigint" || isInt(value)) return "number";
  if (typeof value === "string") return "text";
  if (isDateTime(value)) return "datetime";
  if (isLocalDateTime(value)) return "localdatetime";
  if (isDate(value)) return "date";
  throw new GraphloadError(
    "GL_WATERMARK_TYPE",
    `incremental column "${column}" holds ${describe(value)}; a watermark is a number, text, a date or a date-time`,
  );
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return `a ${typeof value} value`;
  return `a ${value.constructor?.name ?? "structured"} value`;
}

function compareNumbers(a: unknown, b: unknown): number {
  // Two plain numbers compare by their difference, whose sign is exact: no Integer per row.
  if (typeof a === "number" && typeof b === "number") return sign(a - b);
  const x = asExact(a);
  const y = asExact(b);
  if (x !== undefined && y !== undefined) return x.compare(y);
  return sign(asNumber(a) - asNumber(b));
}

function sign(difference: number): number {
  return difference === 0 ? 0 : difference < 0 ? -1 : 1;
}

/** An Integer for whole values (so 64-bit ones compare exactly); undefined for fractions. */
function asExact(value: unknown): Integer | undefined {
  if (isInt(value)) return value as Integer;
  if (typeof value === "bigint") return int(value.toString());
  return Number.isSafeInteger(value) ? int(value as number) : undefined;
}

function asNumber(value: unknown): number {
  return isInt(value) ? (value as Integer).toNumber() : Number(value);
}

const FIELDS = ["year", "month", "day", "hour", "minute", "second", "nanosecond"] as const;

function compareFields(a: Fields, b: Fields, count: number): number {
  for (let i = 0; i < count; i++) {
    const difference = Number(a[FIELDS[i]]) - Number(b[FIELDS[i]]);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}

function compareInstants(a: Fields & { timeZoneOffsetSeconds?: unknown }, b: Fields & { timeZoneOffsetSeconds?: unknown }): number {
  return sign(epochSecond(a) - epochSecond(b) || Number(a.nanosecond) - Number(b.nanosecond));
}

function epochSecond(value: Fields & { timeZoneOffsetSeconds?: unknown }): number {
  const local = Date.UTC(Number(value.year), Number(value.month) - 1, Number(value.day), Number(value.hour), Number(value.minute), Number(value.second)) / 1000;
  return local - Number(value.timeZoneOffsetSeconds ?? 0);
}
