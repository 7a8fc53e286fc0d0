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
