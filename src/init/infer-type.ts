import { compileConverter } from "../convert/convert-value.js";
import type { ScalarType } from "../model/pipeline.js";

/** What a draft says about one column: a pipeline type (absent: the value as read) and why. */
export interface TypeGuess {
  /** `integer`, `date`, `string[]`, …; absent: CSV text stays text, JSON values keep their type. */
  readonly type?: string;
  readonly format?: string;
  readonly arrayDelimiter?: string;
  /** What the guess was based on, for the draft's comment; absent where there was nothing to guess. */
  readonly reason?: string;
  /** The values cannot be a property at all (JSON maps, lists of lists): the draft leaves the column out. */
  readonly omit?: boolean;
}

/** Dates in the orders exports write them, ISO first. A day-first pattern follows its month-first twin. */
const DATE_FORMATS: ReadonlyArray<string | undefined> = [
  undefined,
  "yyyy/MM/dd",
  "M/d/yyyy",
  "d/M/yyyy",
  "d.M.yyyy",
  "M/d/yy",
  "d/M/yy",
  "d-MMM-yyyy",
  "d MMM yyyy",
  "MMM d yyyy",
  "MMM d, yyyy",
  "MMMM d, yyyy",
];

const LOCAL_DATETIME_FORMATS: ReadonlyArray<string | undefined> = [
  undefined,
  "yyyy/MM/dd HH:mm:ss",
  "yyyy/MM/dd HH:mm",
  "M/d/yyyy H:mm:ss",
  "M/d/yyyy H:mm",
  "d/M/yyyy H:mm:ss",
  "d/M/yyyy H:mm",
  "M/d/yyyy h:mm:ss a",
  "M/d/yyyy h:mm a",
  "d.M.yyyy H:mm:ss",
  "d.M.yyyy H:mm",
];

/**
 * The ISO reader takes `1996-07-04 00:00:00.000` as a local datetime; read as a date, the
 * same text needs its pattern spelt out.
 */
const ISO_DATETIME_PATTERNS: readonly string[] = [
  "yyyy-MM-dd HH:mm:ss.SSS",
  "yyyy-MM-dd HH:mm:ss",
  "yyyy-MM-dd HH:mm",
  "yyyy-MM-dd'T'HH:mm:ss.SSS",
  "yyyy-MM-dd'T'HH:mm:ss",
  "yyyy-MM-dd'T'HH:mm",
];

const TIME_FORMATS: ReadonlyArray<string | undefined> = [undefined, "h:mm a", "h:mm:ss a"];

/** The engine's own number syntax (scalar-converters.ts). */
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}/;
const ZERO_PADDED = /^[+-]?0\d/;
/** Words of one family only: a column of `yes`/`no` is a flag, one of `yes`/`false` is not. */
const BOOLEAN_FAMILIES: ReadonlyArray<readonly string[]> = [
  ["true", "false"],
  ["yes", "no"],
  ["t", "f"],
  ["y", "n"],
];
const LIST_DELIMITERS = [";", "|"];
/** Longer elements read as prose that happens to hold a `;`, not as a list. */
const MAX_LIST_ELEMENT = 40;

/**
 * The type of a column from its sampled non-null values (distinct ones suffice), judged
 * by the converters a run uses: a guess is made only where every sampled value converts.
 * `count` is the number of non-null values sampled, for the comment.
 */
export function inferType(values: readonly unknown[], count = values.length): TypeGuess {
  if (values.length === 0) return { reason: "no value in the sample" };
  if (values.every((value) => typeof value === "string")) return textGuess(values as string[], count);
  return jsonGuess(values, count);
}

function textGuess(texts: readonly string[], count: number): TypeGuess {
  return scalarTextGuess(texts, count) ?? listGuess(texts, count) ?? mostlyGuess(texts);
}

/**
 * Text where most values are numbers or dates is a guess too (postal codes, a date column
 * with a few words in it): say which values kept it text, for a person to judge.
 */
function mostlyGuess(texts: readonly string[]): TypeGuess {
  const kinds: Array<[string, (text: string) => boolean]> = [
    ["number", (text) => FLOAT.test(text)],
    ["date", (text) => ISO_DATE_START.test(text) && (convertsAll([text], "date") !== undefined || convertsAll([text], "localdatetime") !== undefined)],
  ];
  for (const [kind, test] of kinds) {
    // A value that fails to convert costs an exception: most text columns fail the cheap look first.
    if (kind === "date" && texts.filter((text) => ISO_DATE_START.test(text)).length < texts.length / 2) continue;
    const others = texts.filter((text) => !test(text));
    if (others.length > 0 && others.length <= texts.length / 2) {
      const which = others.length === 1 ? `1 of ${texts.length} distinct values is not a ${kind}` : `${others.length} of ${texts.length} distinct values are not ${kind}s`;
      return { reason: `text: ${which}, e.g. ${example(others)}` };
    }
  }
  return {};
}

function scalarTextGuess(texts: readonly string[], count: number): TypeGuess | undefined {
  const all = count === 1 ? "the one value is" : `all ${count} values are`;
  if (texts.every((text) => INTEGER.test(text))) {
    const padded = texts.find((text) => ZERO_PADDED.test(text));
    if (padded !== undefined) return { reason: `text: numbers with leading zeros (${padded}) would lose them as integers` };
    if (!convertsAll(texts, "integer")) return { reason: "text: whole numbers beyond 64 bits" };
    if (texts.length === 2 && texts.every((text) => text === "0" || text === "1")) {
      return { type: "integer", reason: `integer: only 0 and 1 seen; if it is a flag, type: boolean reads it as one` };
    }
    return { type: "integer", reason: `integer: ${all} whole numbers, e.g. ${example(texts)}` };
  }
  if (texts.every((text) => FLOAT.test(text))) return { type: "float", reason: `float: ${all} numbers, e.g. ${example(texts, /[.eE]/)}` };
  const lower = new Set(texts.map((text) => text.trim().toLowerCase()));
  const family = BOOLEAN_FAMILIES.find((words) => [...lower].every((word) => words.includes(word)) && (words[0].length > 1 || lower.size === 2));
  if (family) return { type: "boolean", reason: `boolean: only ${family.join("/")} seen` };
  return temporalGuess(texts);
}

function temporalGuess(texts: readonly string[]): TypeGuess | undefined {
  if (!texts.every((text) => /\d/.test(text) && text.length <= 40)) return undefined;
  const like = `values like ${example(texts)}`;
  const date = firstFormat(texts, "date", DATE_FORMATS);
  if (date) return { type: "date", ...formatKey(date.format), reason: `date: ${like}${ambiguity(texts, "date", date.format)}` };
  const local = firstFormat(texts, "localdatetime", LOCAL_DATETIME_FORMATS);
  if (local) {
    if (local.values.every(atMidnight)) {
      const pattern = local.format ?? ISO_DATETIME_PATTERNS.find((candidate) => convertsAll(texts, "date", candidate));
      if (pattern) {
        return { type: "date", format: pattern, reason: `date: ${like}, each at midnight (type: localdatetime keeps the time)${ambiguity(texts, "date", pattern)}` };
      }
    }
    return { type: "localdatetime", ...formatKey(local.format), reason: `localdatetime: ${like}, no offset${ambiguity(texts, "localdatetime", local.format)}` };
  }
  const zoned = firstFormat(texts, "datetime", [undefined]);
  if (zoned) return { type: "datetime", reason: `datetime: ${like}, with an offset or zone` };
  if (texts.every((text) => text.includes(":"))) {
    const time = firstFormat(texts, "localtime", TIME_FORMATS);
    if (time) return { type: "localtime", ...formatKey(time.format), reason: `localtime: ${like}` };
  }
  return undefined;
}

function formatKey(format: string | undefined): { format?: string } {
  return format === undefined ? {} : { format };
}

/** `M/d/yyyy` where no sampled day is above 12 could as well be `d/M/yyyy`: say so. */
function ambiguity(texts: readonly string[], type: ScalarType, format: string | undefined): string {
  if (format === undefined || !/M\/d|d\/M/.test(format)) return "";
  const twin = format.replace(/M\/d|d\/M/, (order) => (order === "M/d" ? "d/M" : "M/d"));
  return convertsAll(texts, type, twin) ? `; no day above 12 in the sample, so it may be ${twin}` : "";
}

function atMidnight(value: unknown): boolean {
  const time = value as { hour: unknown; minute: unknown; second: unknown; nanosecond: unknown };
  return [time.hour, time.minute, time.second, time.nanosecond].every((part) => Number(part) === 0);
}

function firstFormat(texts: readonly string[], type: ScalarType, formats: ReadonlyArray<string | undefined>): { format?: string; values: unknown[] } | undefined {
  for (const format of formats) {
    const values = convertsAll(texts, type, format);
    if (values) return { format, values };
  }
  return undefined;
}

/** A column whose values mostly hold `;` or `|` between short parts is a list of what the parts are. */
function listGuess(texts: readonly string[], count: number): TypeGuess | undefined {
  for (const delimiter of LIST_DELIMITERS) {
    const holders = texts.filter((text) => text.includes(delimiter));
    if (holders.length < texts.length && holders.length < Math.max(2, texts.length / 10)) continue;
    // A space after every delimiter is part of it, so that string elements come out without one.
    const spaced = holders.every((text) => text.split(delimiter).slice(1).every((part) => part.startsWith(" ")));
    const arrayDelimiter = spaced ? `${delimiter} ` : delimiter;
    const elements = texts.flatMap((text) => text.split(arrayDelimiter));
    // Empty parts, long ones and ones with ", " make a sentence with a semicolon, not a list.
    if (elements.some((element) => element.trim() === "" || element.length > MAX_LIST_ELEMENT || element.includes(", "))) continue;
    const element = scalarTextGuess([...new Set(elements)], elements.length);
    const type = `${element?.type ?? "string"}[]`;
    if (!convertsAll(texts, type, element?.format, arrayDelimiter)) continue;
    const shown = holders.length === count ? `all ${count} values hold` : `${holders.length} of ${texts.length} distinct values hold`;
    return { type, ...formatKey(element?.format), arrayDelimiter, reason: `${type}: ${shown} "${delimiter}", e.g. ${example(holders)}` };
  }
  return undefined;
}

function jsonGuess(values: readonly unknown[], count: number): TypeGuess {
  const kinds = new Set(values.map(kindOf));
  const sampled = count === 1 ? "the one value sampled" : `all ${count} values sampled`;
  if (kinds.size === 1) {
    switch ([...kinds][0]) {
      case "number":
        return (values as number[]).every(Number.isSafeInteger)
          ? { type: "integer", reason: `integer: JSON whole numbers, ${sampled}` }
          : { type: "float", reason: `float: JSON numbers, some ${(values as number[]).every(Number.isInteger) ? "beyond 2^53" : "with a fraction"}, ${sampled}` };
      case "boolean":
        return { type: "boolean", reason: `boolean: JSON booleans, ${sampled}` };
      case "array":
        return arrayGuess(values as unknown[][]);
      case "object":
        if (convertsAll(values, "point")) return { type: "point", reason: "point: JSON maps of coordinates" };
        return { omit: true, reason: "JSON maps: a property cannot hold one; left out" };
    }
  }
  if (kinds.has("object") || kinds.has("array")) return { omit: true, reason: `JSON values of several kinds (${[...kinds].join(", ")}): left out` };
  return { type: "string", reason: `string: JSON values of several kinds (${[...kinds].join(", ")}), read as text` };
}

function arrayGuess(lists: readonly unknown[][]): TypeGuess {
  const elements = lists.flat();
  const kinds = new Set(elements.map(kindOf));
  if (kinds.has("object") || kinds.has("array")) return { omit: true, reason: "JSON lists of maps or lists: a property cannot hold one; left out" };
  if (kinds.size === 0) return { reason: "JSON lists, all empty in the sample" };
  if (kinds.size > 1) return { type: "string[]", reason: `string[]: JSON lists of ${[...kinds].join(" and ")}, read as text` };
  if (kinds.has("string")) {
    const text = scalarTextGuess([...new Set(elements as string[])], elements.length);
    const type = `${text?.type ?? "string"}[]`;
    return { type, ...formatKey(text?.format), reason: `${type}: JSON lists${text?.reason ? ` whose elements are ${text.reason.replace(/^[^:]+: /, "")}` : " of strings"}` };
  }
  const element = jsonGuess([...new Set(elements)], elements.length);
  return { type: `${element.type}[]`, reason: `${element.type}[]: JSON lists of ${element.type === "boolean" ? "booleans" : element.type === "integer" ? "whole numbers" : "numbers"}` };
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** An example to show, preferring one that shows what the guess rests on. */
function example(texts: readonly string[], telling?: RegExp): string {
  const chosen = (telling && texts.find((text) => telling.test(text))) ?? texts[0];
  return chosen.length > 40 ? `${chosen.slice(0, 40)}…` : chosen;
}

/** The converted values when a run would convert every one of them under this type, else undefined. */
export function convertsAll(values: readonly unknown[], type: string, format?: string, arrayDelimiter = ";"): unknown[] | undefined {
  const list = type.endsWith("[]");
  const scalar = (list ? type.slice(0, -2) : type) as ScalarType;
  let convert: (raw: unknown) => unknown;
  try {
    convert = compileConverter({ property: "value", column: "value", type: { scalar, list }, format, arrayDelimiter }, []);
  } catch {
    return undefined;
  }
  const converted: unknown[] = [];
  for (const value of values) {
    try {
      converted.push(convert(value));
    } catch {
      return undefined;
    }
  }
  return converted;
}
