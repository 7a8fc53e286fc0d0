import { isDate, isDateTime, isDuration, isInt, isLocalDateTime, isLocalTime, isPoint, isTime } from "neo4j-driver";
import type { ScalarType } from "../model/pipeline.js";

/** The test for a neo4j-driver value of each scalar type that has one: what a Neo4j source gives already typed. */
export const DRIVER_TYPES: Readonly<Partial<Record<ScalarType, (value: unknown) => boolean>>> = {
  integer: isInt,
  date: isDate,
  datetime: isDateTime,
  localdatetime: isLocalDateTime,
  time: isTime,
  localtime: isLocalTime,
  duration: isDuration,
  point: isPoint,
};

const TESTS = Object.values(DRIVER_TYPES);

/** A value neo4j-driver made or takes as a typed Neo4j value: an Integer, a temporal, a duration, a point. */
export function isDriverValue(value: unknown): boolean {
  return typeof value === "object" && value !== null && TESTS.some((test) => test!(value));
}

/**
 * A JSON.stringify replacer for values read from sources and Neo4j: integers as numbers
 * where exact (as text beyond 2^53), other neo4j-driver values (temporals, points) as their
 * Cypher text, bytes (a database's BLOB) in hexadecimal.
 */
export function driverValueJson(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Int8Array) return `0x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
  if (isInt(value)) return value.inSafeRange() ? value.toNumber() : value.toString();
  if (isDriverValue(value)) return String(value);
  return value;
}
