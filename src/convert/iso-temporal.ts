import { InvalidValue } from "./invalid-value.js";
import { emptyParts, toTemporal, type TemporalParts, type TemporalType } from "./temporal-value.js";

const DATE = String.raw`([+-]\d{4,9}|\d{4})-(\d{2})-(\d{2})`;
const TIME = String.raw`(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?`;
const OFFSET = String.raw`(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?`;
const ZONE = String.raw`(?:\[([^\]]+)\])?`;

/** A space may stand for the `T`: databases and spreadsheets write `1996-07-04 00:00:00.000`. */
const DATE_TIME = new RegExp(`^${DATE}(?:[Tt ]${TIME}${OFFSET}${ZONE})?$`);
const DATE_ONLY = new RegExp(`^${DATE}$`);
const TIME_ONLY = new RegExp(`^${TIME}${OFFSET}${ZONE}$`);

/**
 * A parser of ISO 8601 extended-format text (`1996-07-04`, `1996-07-04T12:30:00.5+02:00`,
 * `…[Europe/Berlin]`, `12:30`) for one temporal type. Strict: the calendar is checked, a
 * datetime needs an offset or zone, and the local types refuse one rather than drop it. A
 * `timezone` (`Z`, `+02:00`, `Europe/Berlin`; for a time an offset only) is what a datetime or
 * time without one is in, as neo4j-admin reads them (its default is `Z`).
 */
export function isoTemporalParser(type: TemporalType, timezone?: string): (text: string) => unknown {
  const fallback = timezone === undefined ? undefined : defaultZone(type, timezone);
  switch (type) {
    case "date":
      return (text) => {
        const match = DATE_ONLY.exec(text);
        if (!match) throw new InvalidValue("expected e.g. 1996-07-04");
        return toTemporal(type, dateParts(match));
      };
    case "datetime":
    case "localdatetime":
      return (text) => {
        const match = DATE_TIME.exec(text);
        if (!match) throw new InvalidValue(type === "datetime" ? "expected e.g. 1996-07-04T12:30:00+02:00" : "expected e.g. 1996-07-04T12:30:00");
        const parts = dateParts(match);
        if (match[4] !== undefined) timeParts(match, 4, parts);
        if (fallback) applyZone(parts, fallback);
        checkZone(type, parts);
        return toTemporal(type, parts);
      };
    case "time":
    case "localtime":
      return (text) => {
        const match = TIME_ONLY.exec(text);
        if (!match) throw new InvalidValue(type === "time" ? "expected e.g. 12:30:00+02:00" : "expected e.g. 12:30:00");
        const parts = timeParts(match, 1, emptyParts());
        if (fallback) applyZone(parts, fallback);
        checkZone(type, parts);
        return toTemporal(type, parts);
      };
  }
}

const OFFSET_ONLY = new RegExp(`^${OFFSET}$`);

type Zone = Pick<TemporalParts, "offsetSeconds" | "zoneId">;

/** The zone a `timezone` setting names; thrown at once (not per value) when it cannot serve the type. */
function defaultZone(type: TemporalType, timezone: string): Zone | undefined {
  if (type !== "datetime" && type !== "time") return undefined;
  const match = timezone === "" ? null : OFFSET_ONLY.exec(timezone);
  if (match) {
    const [, utc, sign, hours, minutes] = match;
    const seconds = utc !== undefined ? 0 : Number(hours) * 3600 + Number(minutes ?? 0) * 60;
    return { offsetSeconds: sign === "-" ? -seconds : seconds, zoneId: undefined };
  }
  if (type === "time") throw new InvalidValue(`a time takes an offset such as Z or +02:00 as its timezone, not "${timezone}"`);
  return { offsetSeconds: undefined, zoneId: timezone };
}

function applyZone(parts: TemporalParts, zone: Zone): void {
  if (parts.offsetSeconds !== undefined || parts.zoneId !== undefined) return;
  parts.offsetSeconds = zone.offsetSeconds;
  parts.zoneId = zone.zoneId;
}

function dateParts(match: RegExpExecArray): TemporalParts {
  const parts = emptyParts();
  parts.year = Number(match[1]);
  parts.month = Number(match[2]);
  parts.day = Number(match[3]);
  return parts;
}

/** Reads the groups of TIME, OFFSET and ZONE, which start at `first`. */
function timeParts(match: RegExpExecArray, first: number, parts: TemporalParts): TemporalParts {
  const [hour, minute, second, fraction, utc, sign, offsetHours, offsetMinutes, zone] = match.slice(first, first + 9);
  parts.hour = Number(hour);
  parts.minute = Number(minute);
  if (second !== undefined) parts.second = Number(second);
  if (fraction !== undefined) parts.nanosecond = Number(fraction.padEnd(9, "0"));
  if (utc !== undefined) parts.offsetSeconds = 0;
  if (sign !== undefined) {
    const seconds = Number(offsetHours) * 3600 + Number(offsetMinutes ?? 0) * 60;
    parts.offsetSeconds = sign === "-" ? -seconds : seconds;
  }
  parts.zoneId = zone;
  return parts;
}

function checkZone(type: TemporalType, parts: TemporalParts): void {
  const zoned = parts.offsetSeconds !== undefined || parts.zoneId !== undefined;
  switch (type) {
    case "datetime":
      if (!zoned) throw new InvalidValue('no offset or time zone; a local date and time is type "localdatetime"');
      return;
    case "time":
      if (parts.zoneId !== undefined) throw new InvalidValue("a time takes an offset, not a time zone");
      if (!zoned) throw new InvalidValue('no offset; a local time is type "localtime"');
      return;
    case "localdatetime":
      if (zoned) throw new InvalidValue('it has an offset or time zone; use type "datetime"');
      return;
    case "localtime":
      if (zoned) throw new InvalidValue('it has an offset; use type "time"');
      return;
  }
}
