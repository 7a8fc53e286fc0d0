import { Duration } from "neo4j-driver";
import { InvalidValue } from "./invalid-value.js";

const WHOLE = String.raw`([+-]?\d+)`;
const DECIMAL = String.raw`([+-]?\d+(?:[.,]\d{1,9})?)`;
const DURATION = new RegExp(`^([+-])?P(?:${WHOLE}Y)?(?:${WHOLE}M)?(?:${WHOLE}W)?(?:${WHOLE}D)?(?:T(?:${DECIMAL}H)?(?:${DECIMAL}M)?(?:${DECIMAL}S)?)?$`);

/**
 * An ISO 8601 duration such as `P1Y2M10DT2H30M`, `PT0.000000001S`, `-P1D` or `P1DT-2H`:
 * a sign may stand before the whole and before each part, hours, minutes and seconds may
 * have up to nine decimals. Years and months make the months of the Neo4j duration, weeks
 * and days its days, the rest its seconds and nanoseconds.
 */
export function parseDuration(text: string): Duration<number> {
  const match = DURATION.exec(text);
  if (!match || text.endsWith("T") || match.slice(2).every((part) => part === undefined)) {
    throw new InvalidValue("expected e.g. P1DT2H30M");
  }
  const [, sign, years, months, weeks, days, hours, minutes, seconds] = match;
  // Adding 0 turns the -0 of a negated zero into 0.
  const signed = (value: number): number => (sign === "-" ? -value : value) + 0;
  const time = { seconds: 0, nanoseconds: 0 };
  addTime(time, hours, 3600);
  addTime(time, minutes, 60);
  addTime(time, seconds, 1);
  const values = [
    signed(whole(years) * 12 + whole(months)),
    signed(whole(weeks) * 7 + whole(days)),
    signed(time.seconds),
    signed(time.nanoseconds),
  ];
  if (!values.every(Number.isSafeInteger)) throw new InvalidValue("too large");
  return new Duration<number>(values[0], values[1], values[2], values[3]);
}

function whole(part: string | undefined): number {
  return part === undefined ? 0 : Number(part);
}

/** Adds `part` units of `unitSeconds` each, keeping its decimals as nanoseconds so nothing is rounded. */
function addTime(time: { seconds: number; nanoseconds: number }, part: string | undefined, unitSeconds: number): void {
  if (part === undefined) return;
  const [integer, decimals = ""] = part.split(/[.,]/);
  const sign = integer.startsWith("-") ? -1 : 1;
  time.seconds += Number(integer) * unitSeconds;
  time.nanoseconds += sign * Number(decimals.padEnd(9, "0")) * unitSeconds;
}
