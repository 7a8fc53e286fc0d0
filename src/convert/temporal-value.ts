import { Date as DateValue, DateTime, LocalDateTime, LocalTime, Time } from "neo4j-driver";
import type { ScalarType } from "../model/pipeline.js";
import { InvalidValue } from "./invalid-value.js";

export type TemporalType = Extract<ScalarType, "date" | "datetime" | "localdatetime" | "time" | "localtime">;

/** The fields read from a temporal text, whether ISO 8601 or a pattern; absent time fields are 0. */
export interface TemporalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
  offsetSeconds: number | undefined;
  zoneId: string | undefined;
}

export function emptyParts(): TemporalParts {
  return { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanosecond: 0, offsetSeconds: undefined, zoneId: undefined };
}

const MAX_OFFSET_SECONDS = 18 * 3600;

/** The driver value of a type from parts whose presence the parser has already checked. */
export function toTemporal(type: TemporalType, parts: TemporalParts): unknown {
  const { year, month, day, hour, minute, second, nanosecond, offsetSeconds, zoneId } = parts;
  if (type === "date" || type === "datetime" || type === "localdatetime") checkDate(year, month, day);
  if (type !== "date") checkTime(hour, minute, second);
  if (offsetSeconds !== undefined && Math.abs(offsetSeconds) > MAX_OFFSET_SECONDS) throw new InvalidValue("offset beyond ±18:00");
  switch (type) {
    case "date":
      return new DateValue(year, month, day);
    case "localdatetime":
      return new LocalDateTime(year, month, day, hour, minute, second, nanosecond);
    case "localtime":
      return new LocalTime(hour, minute, second, nanosecond);
    case "time":
      return new Time(hour, minute, second, nanosecond, offsetSeconds as number);
    case "datetime":
      try {
        return new DateTime(year, month, day, hour, minute, second, nanosecond, offsetSeconds, zoneId);
      } catch {
        // The driver checks zone ids against the runtime's time zone database.
        throw new InvalidValue(`unknown time zone "${zoneId}"`);
      }
  }
}

function checkDate(year: number, month: number, day: number): void {
  if (!isDate(year, month, day)) throw new InvalidValue("no such date");
}

/** Whether the proleptic Gregorian calendar has this day. */
export function isDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function checkTime(hour: number, minute: number, second: number): void {
  if (hour > 23 || minute > 59 || second > 59) throw new InvalidValue("no such time of day");
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
