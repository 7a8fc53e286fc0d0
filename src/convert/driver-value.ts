import { isDate, isDateTime, isDuration, isInt, isLocalDateTime, isLocalTime, isPoint, isTime } from "neo4j-driver";

/** A value neo4j-driver made or takes as a typed Neo4j value: an Integer, a temporal, a duration, a point. */
export function isDriverValue(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (isInt(value) || isDate(value) || isDateTime(value) || isLocalDateTime(value) || isTime(value) || isLocalTime(value) || isDuration(value) || isPoint(value))
  );
}
