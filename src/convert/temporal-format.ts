import { GraphloadError } from "../errors.js";
import { InvalidValue } from "./invalid-value.js";
import { emptyParts, isDate, type TemporalParts } from "./temporal-value.js";

/**
 * A compiled Java-style date/time pattern (`yyyy-MM-dd HH:mm:ss.SSS`, `MMM d, yyyy`,
 * `EEE, d MMM yyyy h:mm a XXX`, `yyyy-MM-dd'T'HH:mm VV`), read the way APOC's
 * SimpleDateFormat patterns read text: the number of letters of a numeric field does not
 * fix its width (`dd` reads `5` and `05`, `M/d/yyyy` reads `07/05/2012`), except where two
 * numeric fields touch (`yyyyMMdd`, `HHmm`): there every field after the first takes
 * exactly its letter count and the first takes the digits left before them, as java.time
 * reads adjacent values.
 *
 * Letters: y/u year (`yyyy` needs four digits or more; under `y` or `yy` two digits are a
 * year in 1950–2049 and other widths the year as written); M month, MMM/MMMM English month
 * name (full or short, any case, whichever the letters); d day; E/EEE/EEEE English day name
 * (likewise), checked against the date; H hour 0–23, h 1–12 and K 0–11 with a (AM/PM),
 * k 1–24; m minute; s second; S…S fraction of a second (1–9 digits, exactly as many as the
 * letters where a numeric field follows); X/XX/XXX and ZZZZZ offset or Z, x/xx/xxx and
 * Z/ZZ/ZZZ offset; VV zone id. 'quoted text' and characters other than letters are
 * literal; `''` is a quote. Matching covers the whole text, case-sensitively except for
 * names and AM/PM.
 */
export interface TemporalFormat {
  readonly pattern: string;
  readonly hasDate: boolean;
  readonly hasTime: boolean;
  readonly hasOffset: boolean;
  readonly hasZone: boolean;
  /** The parts of the text; throws InvalidValue saying where the text leaves the pattern. */
  parse(text: string): TemporalParts;
}

type NumberField = "year" | "month" | "day" | "hour" | "hour12" | "hour11" | "hour24" | "minute" | "second" | "fraction";

interface NumberToken {
  readonly kind: "number";
  readonly field: NumberField;
  readonly letters: string;
  readonly min: number;
  readonly max: number;
  /** Set where the field follows another numeric field with nothing between them. */
  fixed?: number;
  /** Digits that the fixed-width fields right after this one take. */
  reserve: number;
}

type Token =
  | { readonly kind: "literal"; readonly text: string }
  | NumberToken
  | { readonly kind: "monthName" }
  | { readonly kind: "dayName" }
  | { readonly kind: "ampm" }
  | { readonly kind: "offset"; readonly allowZ: boolean; readonly letters: string }
  | { readonly kind: "zone" };

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
/** Full names before short ones, so that `July` is not read as `Jul` and a stray `y`. */
const MONTH_NAMES = nameTable(MONTHS);
const DAY_NAMES = nameTable(DAYS);
const ZONE_CHARACTER = /[A-Za-z0-9_/+-]/;
/** Two-digit years land in 1950–2049: fixed, so a file reads the same every year. */
const TWO_DIGIT_YEAR_BASE = 1950;

const FIELD_NAMES: Readonly<Record<NumberField, string>> = {
  year: "year",
  month: "month",
  day: "day",
  hour: "hour",
  hour12: "hour",
  hour11: "hour",
  hour24: "hour",
  minute: "minute",
  second: "second",
  fraction: "fraction of a second",
};

const cache = new Map<string, TemporalFormat>();

/** Compiled once per pattern; throws GL_INVALID_VALUE for a pattern it cannot read. */
export function compileTemporalFormat(pattern: string): TemporalFormat {
  let format = cache.get(pattern);
  if (!format) {
    format = compile(pattern);
    cache.set(pattern, format);
  }
  return format;
}

function compile(pattern: string): TemporalFormat {
  const tokens = tokenize(pattern);
  fixAdjacentWidths(pattern, tokens);
  const fields = new Set(tokens.map((token) => (token.kind === "number" ? token.field : token.kind)));
  for (const field of ["hour12", "hour11"] as const) {
    const letter = field === "hour12" ? "h" : "K";
    if (fields.has(field) && !fields.has("ampm")) invalidPattern(pattern, `"${letter}" needs "a" (AM/PM); use "H" for 0–23`);
  }
  const hasDate = fields.has("year") && (fields.has("month") || fields.has("monthName")) && fields.has("day");
  return {
    pattern,
    hasDate,
    hasTime: fields.has("hour") || fields.has("hour12") || fields.has("hour11") || fields.has("hour24"),
    hasOffset: fields.has("offset"),
    hasZone: fields.has("zone"),
    parse: (text) => {
      const parts = match(tokens, text, hasDate);
      if (typeof parts === "string") throw new InvalidValue(`expected the format "${pattern}": ${parts}`);
      return parts;
    },
  };
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  const literal = (text: string): void => {
    const last = tokens.at(-1);
    if (last?.kind === "literal") tokens[tokens.length - 1] = { kind: "literal", text: last.text + text };
    else tokens.push({ kind: "literal", text });
  };
  for (let i = 0; i < pattern.length; ) {
    const char = pattern[i];
    if (char === "'") {
      i = quoted(pattern, i, literal);
      continue;
    }
    if (!/[A-Za-z]/.test(char)) {
      if (char === "[" || char === "]") invalidPattern(pattern, "optional sections are not supported");
      literal(char);
      i++;
      continue;
    }
    let count = 1;
    while (pattern[i + count] === char) count++;
    tokens.push(letterToken(pattern, char, count));
    i += count;
  }
  return tokens;
}

/** Text between quotes, where a doubled quote stands for one; `''` alone is a quote too. Returns where it ends. */
function quoted(pattern: string, open: number, literal: (text: string) => void): number {
  if (pattern[open + 1] === "'") {
    literal("'");
    return open + 2;
  }
  let text = "";
  for (let i = open + 1; i < pattern.length; i++) {
    if (pattern[i] !== "'") {
      text += pattern[i];
    } else if (pattern[i + 1] === "'") {
      text += "'";
      i++;
    } else {
      literal(text);
      return i + 1;
    }
  }
  return invalidPattern(pattern, "a quote is not closed");
}

/** Letters people write meaning something else, with what they most likely meant. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  Y: 'is the week-based year, which differs from the calendar year around New Year; write "yyyy"',
  D: 'is the day of the year; write "dd" for the day of the month',
  n: 'is nanoseconds as a number; write "SSSSSSSSS" for a fraction of a second',
  z: 'is a time-zone name such as "PST", which is ambiguous; write "VV" for a zone id or "XXX" for an offset',
};

function letterToken(pattern: string, letter: string, count: number): Token {
  const letters = letter.repeat(count);
  const number = (field: NumberField): NumberToken => {
    if (count > 2) invalidPattern(pattern, `"${letters}" has too many letters`);
    return { kind: "number", field, letters, min: 1, max: 2, reserve: 0 };
  };
  switch (letter) {
    case "y":
    case "u":
      if (count > 9) invalidPattern(pattern, `"${letters}" has too many letters`);
      // "yyyy" must not read "12" as the year 12: a short year there is a cut-off one.
      return { kind: "number", field: "year", letters, min: count, max: 9, reserve: 0 };
    case "M":
      if (count === 3 || count === 4) return { kind: "monthName" };
      if (count === 5) invalidPattern(pattern, '"MMMMM" (narrow month names) is not supported');
      return number("month");
    case "d":
      return number("day");
    case "E":
      if (count <= 4) return { kind: "dayName" };
      break;
    case "H":
      return number("hour");
    case "h":
      return number("hour12");
    case "K":
      return number("hour11");
    case "k":
      return number("hour24");
    case "m":
      return number("minute");
    case "s":
      return number("second");
    case "S":
      if (count > 9) invalidPattern(pattern, "fractions go to nanoseconds: at most 9 S");
      return { kind: "number", field: "fraction", letters, min: 1, max: 9, reserve: 0 };
    case "a":
      if (count === 1) return { kind: "ampm" };
      break;
    case "X":
    case "x":
      if (count <= 5) return { kind: "offset", allowZ: letter === "X", letters };
      break;
    case "Z":
      if (count <= 3 || count === 5) return { kind: "offset", allowZ: count === 5, letters };
      break;
    case "V":
      if (count === 2) return { kind: "zone" };
      break;
  }
  const lookalike = LOOKALIKES[letter];
  return invalidPattern(pattern, lookalike ? `"${letters}" ${lookalike}` : `"${letters}" is not supported`);
}

/**
 * Numeric fields with nothing between them cannot each read as many digits as they find:
 * every field after the first takes its letter count, and the first keeps the rest.
 */
function fixAdjacentWidths(pattern: string, tokens: readonly Token[]): void {
  for (let start = 0; start < tokens.length; start++) {
    const first = tokens[start];
    if (first.kind !== "number") continue;
    let end = start + 1;
    while (end < tokens.length && tokens[end].kind === "number") {
      const next = tokens[end] as NumberToken;
      if (next.field === "year" && next.letters.length === 1) {
        invalidPattern(pattern, `"${next.letters}" right after another number needs its width; write "yyyy"`);
      }
      next.fixed = next.letters.length;
      first.reserve += next.fixed;
      end++;
    }
    start = end - 1;
  }
}

function invalidPattern(pattern: string, reason: string): never {
  throw new GraphloadError("GL_INVALID_VALUE", `format "${pattern}": ${reason}`, { format: pattern });
}

/** The parts of `text`, or why it does not follow the tokens. */
function match(tokens: readonly Token[], text: string, hasDate: boolean): TemporalParts | string {
  const parts = emptyParts();
  let at = 0;
  let clockHour: { value: number; token: NumberToken } | undefined;
  let pm: boolean | undefined;
  let dayOfWeek: number | undefined;
  for (const token of tokens) {
    switch (token.kind) {
      case "literal":
        if (!text.startsWith(token.text, at)) return expected(JSON.stringify(token.text), text, at);
        at += token.text.length;
        break;
      case "number": {
        const end = numberEnd(token, text, at);
        if (end === undefined) return expected(`the ${FIELD_NAMES[token.field]} (${token.letters})`, text, at);
        const digits = text.slice(at, end);
        at = end;
        readNumber(token, digits, parts);
        if (token.field === "hour12" || token.field === "hour11" || token.field === "hour24") clockHour = { value: Number(digits), token };
        break;
      }
      case "monthName": {
        const month = nameAt(MONTH_NAMES, text, at);
        if (!month) return expected("an English month name", text, at);
        parts.month = month.index + 1;
        at += month.length;
        break;
      }
      case "dayName": {
        const day = nameAt(DAY_NAMES, text, at);
        if (!day) return expected("an English day name", text, at);
        dayOfWeek = day.index + 1;
        at += day.length;
        break;
      }
      case "ampm": {
        const marker = text.slice(at, at + 2).toUpperCase();
        if (marker !== "AM" && marker !== "PM") return expected("AM or PM", text, at);
        pm = marker === "PM";
        at += 2;
        break;
      }
      case "offset": {
        const end = offsetEnd(text, at, token.allowZ, parts);
        if (end === undefined) return expected(`an offset (${token.letters})`, text, at);
        at = end;
        break;
      }
      case "zone": {
        const start = at;
        while (at < text.length && ZONE_CHARACTER.test(text[at])) at++;
        if (at === start) return expected("a zone id (VV)", text, at);
        parts.zoneId = text.slice(start, at);
        break;
      }
    }
  }
  if (at !== text.length) return `${excerpt(text, at)} is left over`;
  if (clockHour) parts.hour = hourOfDay(clockHour.value, clockHour.token, pm);
  else if (pm !== undefined && pm !== parts.hour >= 12) throw new InvalidValue(`hour ${parts.hour} is not ${pm ? "PM" : "AM"}`);
  if (dayOfWeek !== undefined && hasDate && isDate(parts.year, parts.month, parts.day)) {
    const actual = weekday(parts.year, parts.month, parts.day);
    if (actual !== dayOfWeek) throw new InvalidValue(`${isoDate(parts)} is a ${title(DAYS[actual - 1])}, not a ${title(DAYS[dayOfWeek - 1])}`);
  }
  return parts;
}

/** Where the digits of a numeric field end, or undefined when there are too few or too many. */
function numberEnd(token: NumberToken, text: string, at: number): number | undefined {
  if (token.fixed !== undefined) {
    const end = digitsEnd(text, at, token.fixed);
    return end - at === token.fixed ? end : undefined;
  }
  if (token.reserve > 0) {
    const width = digitsEnd(text, at, token.max + token.reserve) - at - token.reserve;
    return width >= token.min && width <= token.max ? at + width : undefined;
  }
  const end = digitsEnd(text, at, token.max);
  return end - at >= token.min ? end : undefined;
}

function readNumber(token: NumberToken, digits: string, parts: TemporalParts): void {
  const value = Number(digits);
  switch (token.field) {
    case "year":
      // As SimpleDateFormat reads "y" and "yy": two digits are a short year, other widths the year itself.
      parts.year = token.letters.length <= 2 && digits.length === 2 ? windowYear(value) : value;
      return;
    case "fraction":
      parts.nanosecond = Number(digits.padEnd(9, "0"));
      return;
    case "hour12":
    case "hour11":
    case "hour24":
      return;
    default:
      parts[token.field] = value;
  }
}

function windowYear(twoDigits: number): number {
  const century = TWO_DIGIT_YEAR_BASE - (TWO_DIGIT_YEAR_BASE % 100);
  const year = century + twoDigits;
  return year < TWO_DIGIT_YEAR_BASE ? year + 100 : year;
}

/** h (1–12) and K (0–11) with AM/PM, k (1–24, 24 being midnight), as the hour of the day. */
function hourOfDay(value: number, token: NumberToken, pm: boolean | undefined): number {
  switch (token.field) {
    case "hour12":
      if (value < 1 || value > 12) throw new InvalidValue(`no such time of day: hour ${value} on a 1–12 clock`);
      return (value % 12) + (pm ? 12 : 0);
    case "hour11":
      if (value > 11) throw new InvalidValue(`no such time of day: hour ${value} on a 0–11 clock`);
      return value + (pm ? 12 : 0);
    default:
      if (value < 1 || value > 24) throw new InvalidValue(`no such time of day: hour ${value} on a 1–24 clock`);
      return value % 24;
  }
}

function expected(what: string, text: string, at: number): string {
  return `${what} expected at ${at === text.length ? "the end" : excerpt(text, at)}`;
}

const EXCERPT_LENGTH = 12;

function excerpt(text: string, at: number): string {
  const rest = text.slice(at);
  return JSON.stringify(rest.length > EXCERPT_LENGTH ? `${rest.slice(0, EXCERPT_LENGTH)}…` : rest);
}

interface NameTable {
  readonly names: readonly string[];
  readonly indexes: readonly number[];
}

function nameTable(full: readonly string[]): NameTable {
  const names = [...full, ...full.map((name) => name.slice(0, 3))];
  return { names, indexes: names.map((_, i) => i % full.length) };
}

function nameAt(table: NameTable, text: string, at: number): { index: number; length: number } | undefined {
  const rest = text.slice(at, at + 9).toLowerCase();
  const found = table.names.findIndex((name) => rest.startsWith(name));
  return found === -1 ? undefined : { index: table.indexes[found], length: table.names[found].length };
}

/** ISO day of the week (1 Monday … 7 Sunday) of a proleptic Gregorian date, any year. */
function weekday(year: number, month: number, day: number): number {
  // Days since 1970-01-01 by the civil-from-days inverse (Howard Hinnant's algorithm).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  const days = era * 146_097 + dayOfEra - 719_468;
  // 1970-01-01 was a Thursday (4).
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

function isoDate({ year, month, day }: TemporalParts): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function title(name: string): string {
  return name[0].toUpperCase() + name.slice(1);
}

function digitsEnd(text: string, start: number, max: number): number {
  let end = start;
  while (end < text.length && end - start < max) {
    const code = text.charCodeAt(end);
    if (code < 48 || code > 57) break;
    end++;
  }
  return end;
}

/** `Z` (where allowed), `±HH`, `±HHmm`, `±HHmmss`, `±HH:mm` or `±HH:mm:ss`; sets the offset and returns where it ends. */
function offsetEnd(text: string, at: number, allowZ: boolean, parts: TemporalParts): number | undefined {
  if (allowZ && (text[at] === "Z" || text[at] === "z")) {
    parts.offsetSeconds = 0;
    return at + 1;
  }
  const sign = text[at];
  if (sign !== "+" && sign !== "-") return undefined;
  let end = digitsEnd(text, at + 1, 2);
  if (end !== at + 3) return undefined;
  let seconds = Number(text.slice(at + 1, end)) * 3600;
  const colon = text[end] === ":";
  for (const unit of [60, 1]) {
    if (colon && text[end] !== ":") break;
    const start = end + (colon ? 1 : 0);
    const unitEnd = digitsEnd(text, start, 2);
    if (unitEnd !== start + 2) {
      // A colon must lead to two digits: "+01:" is no offset.
      if (colon) return undefined;
      break;
    }
    seconds += Number(text.slice(start, unitEnd)) * unit;
    end = unitEnd;
  }
  parts.offsetSeconds = sign === "-" ? -seconds : seconds;
  return end;
}
