import { GraphloadError } from "../errors.js";
import { InvalidValue } from "./invalid-value.js";
import { emptyParts, type TemporalParts } from "./temporal-value.js";

/**
 * A compiled Java-style date/time pattern (`yyyy-MM-dd HH:mm:ss.SSS`, `dd/MM/yyyy`,
 * `d MMM yyyy h:mm a XXX`, `yyyy-MM-dd'T'HH:mm VV`). Letters: y/u year (yy: 2000–2099),
 * M month (MMM, MMMM: English names), d day, H hour, h hour 1–12 with a (AM/PM), m minute,
 * s second, S…S fraction (as many digits as letters), X/XX/XXX offset or Z, x/xx/xxx and
 * Z/ZZ/ZZZ offset, ZZZZZ offset or Z, VV zone id. 'quoted text' and other characters are
 * literal. A doubled letter takes exactly two digits and a single one one or two; yyyy takes
 * four, y one to nine. Matching is exact: the whole text, no optional parts.
 */
export interface TemporalFormat {
  readonly pattern: string;
  readonly hasDate: boolean;
  readonly hasTime: boolean;
  readonly hasOffset: boolean;
  readonly hasZone: boolean;
  /** The parts of the text, or undefined when it does not follow the pattern. */
  parse(text: string): TemporalParts | undefined;
}

type NumberField = "year" | "shortYear" | "month" | "day" | "hour" | "hour12" | "minute" | "second";

type Token =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "number"; readonly field: NumberField; readonly min: number; readonly max: number }
  | { readonly kind: "fraction"; readonly digits: number }
  | { readonly kind: "monthName"; readonly names: readonly string[] }
  | { readonly kind: "ampm" }
  | { readonly kind: "offset"; readonly allowZ: boolean }
  | { readonly kind: "zone" };

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const SHORT_MONTHS = MONTHS.map((name) => name.slice(0, 3));
const ZONE_CHARACTER = /[A-Za-z0-9_/+-]/;

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
  const fields = new Set(tokens.map((token) => (token.kind === "number" ? token.field : token.kind)));
  if (fields.has("hour12") && !fields.has("ampm")) invalidPattern(pattern, '"h" needs "a" (AM/PM); use "H" for 0–23');
  return {
    pattern,
    hasDate: (fields.has("year") || fields.has("shortYear")) && (fields.has("month") || fields.has("monthName")) && fields.has("day"),
    hasTime: fields.has("hour") || fields.has("hour12"),
    hasOffset: fields.has("offset"),
    hasZone: fields.has("zone"),
    parse: (text) => parse(tokens, text),
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

function letterToken(pattern: string, letter: string, count: number): Token {
  const digits = (field: NumberField): Token => {
    if (count > 2) invalidPattern(pattern, `"${letter.repeat(count)}" has too many letters`);
    return { kind: "number", field, min: count, max: 2 };
  };
  switch (letter) {
    case "y":
    case "u":
      if (count === 2) return { kind: "number", field: "shortYear", min: 2, max: 2 };
      return count === 4 ? { kind: "number", field: "year", min: 4, max: 4 } : { kind: "number", field: "year", min: count, max: 9 };
    case "M":
      if (count === 3) return { kind: "monthName", names: SHORT_MONTHS };
      if (count === 4) return { kind: "monthName", names: MONTHS };
      return digits("month");
    case "d":
      return digits("day");
    case "H":
      return digits("hour");
    case "h":
      return digits("hour12");
    case "m":
      return digits("minute");
    case "s":
      return digits("second");
    case "S":
      if (count > 9) invalidPattern(pattern, "fractions go to nanoseconds: at most 9 S");
      return { kind: "fraction", digits: count };
    case "a":
      if (count === 1) return { kind: "ampm" };
      break;
    case "X":
      if (count <= 3) return { kind: "offset", allowZ: true };
      break;
    case "x":
      if (count <= 3) return { kind: "offset", allowZ: false };
      break;
    case "Z":
      if (count <= 3) return { kind: "offset", allowZ: false };
      if (count === 5) return { kind: "offset", allowZ: true };
      break;
    case "V":
      if (count === 2) return { kind: "zone" };
      break;
  }
  return invalidPattern(pattern, `"${letter.repeat(count)}" is not supported`);
}

function invalidPattern(pattern: string, reason: string): never {
  throw new GraphloadError("GL_INVALID_VALUE", `format "${pattern}": ${reason}`, { format: pattern });
}

function parse(tokens: readonly Token[], text: string): TemporalParts | undefined {
  const parts = emptyParts();
  let at = 0;
  let hour12: number | undefined;
  let pm = false;
  for (const token of tokens) {
    switch (token.kind) {
      case "literal":
        if (!text.startsWith(token.text, at)) return undefined;
        at += token.text.length;
        break;
      case "number": {
        const end = digitsEnd(text, at, token.max);
        if (end - at < token.min) return undefined;
        const value = Number(text.slice(at, end));
        at = end;
        if (token.field === "shortYear") parts.year = 2000 + value;
        else if (token.field === "hour12") hour12 = value;
        else parts[token.field] = value;
        break;
      }
      case "fraction": {
        const end = digitsEnd(text, at, token.digits);
        if (end - at !== token.digits) return undefined;
        parts.nanosecond = Number(text.slice(at, end).padEnd(9, "0"));
        at = end;
        break;
      }
      case "monthName": {
        const lower = text.slice(at).toLowerCase();
        const month = token.names.findIndex((name) => lower.startsWith(name));
        if (month === -1) return undefined;
        parts.month = month + 1;
        at += token.names[month].length;
        break;
      }
      case "ampm": {
        const marker = text.slice(at, at + 2).toUpperCase();
        if (marker !== "AM" && marker !== "PM") return undefined;
        pm = marker === "PM";
        at += 2;
        break;
      }
      case "offset": {
        const end = offsetEnd(text, at, token.allowZ, parts);
        if (end === undefined) return undefined;
        at = end;
        break;
      }
      case "zone": {
        const start = at;
        while (at < text.length && ZONE_CHARACTER.test(text[at])) at++;
        if (at === start) return undefined;
        parts.zoneId = text.slice(start, at);
        break;
      }
    }
  }
  if (at !== text.length) return undefined;
  if (hour12 !== undefined) {
    if (hour12 < 1 || hour12 > 12) throw new InvalidValue("no such time of day");
    parts.hour = (hour12 % 12) + (pm ? 12 : 0);
  }
  return parts;
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

/** `Z` (where allowed), `±HH`, `±HHmm` or `±HH:mm`; sets the offset and returns where it ends. */
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
  const colon = text[end] === ":" ? 1 : 0;
  const minutesEnd = digitsEnd(text, end + colon, 2);
  if (minutesEnd === end + colon + 2) {
    seconds += Number(text.slice(end + colon, minutesEnd)) * 60;
    end = minutesEnd;
  } else if (colon === 1) {
    return undefined;
  }
  parts.offsetSeconds = sign === "-" ? -seconds : seconds;
  return end;
}
