import { inferType, type TypeGuess } from "./infer-type.js";
import { baseName, isIdLike, labelFromFileName, normalized, propertyName, unique } from "./names.js";
import type { TableSample } from "./table-sample.js";

/** Cells exports write for "no value". `None` is left out: it is a word in real data (a damage level, a reply). */
export const NULL_TOKENS = ["NULL", "null", "\\N", "NA", "N/A", "#N/A", "NaN"] as const;

export interface ColumnProfile {
  readonly column: string;
  readonly property: string;
  /** Values that are not null once the file's `nullValues` apply. */
  readonly present: number;
  readonly nulls: number;
  /** The distinct values as text (JSON values in their JSON form): for keys and for containment. */
  readonly texts: ReadonlySet<string>;
  readonly guess: TypeGuess;
}

export interface NullToken {
  readonly token: string;
  readonly columns: ReadonlyArray<{ readonly column: string; readonly count: number }>;
}

export interface KeyChoice {
  /** Columns, in key order; empty where no column has a value in every row. */
  readonly columns: readonly string[];
  readonly reason: string;
  /** Unique in the sample: merge on it. Otherwise rows are created, and the key only needs a value. */
  readonly unique: boolean;
}

export interface PointGuess {
  readonly property: string;
  readonly latitude: string;
  readonly longitude: string;
  readonly reason: string;
}

export interface TableProfile {
  readonly sample: TableSample;
  readonly label: string;
  /** Null markers found in the sample; `nullValues` is `""` and these. */
  readonly nullTokens: readonly NullToken[];
  readonly columns: readonly ColumnProfile[];
  readonly point?: PointGuess;
}

/** Each file's columns profiled, with labels unique across the files. */
export function profileTables(samples: readonly TableSample[]): TableProfile[] {
  const labels = new Set<string>();
  return samples.map((sample) => profileTable(sample, labels));
}

export function profileTable(sample: TableSample, usedLabels = new Set<string>()): TableProfile {
  const nullTokens = findNullTokens(sample);
  const isNull = nullTest(nullTokens.map(({ token }) => token));
  const properties = new Set<string>();
  const columns = sample.columns.map((column, index): ColumnProfile => {
    const distinct = new Map<string, unknown>();
    let present = 0;
    for (const row of sample.rows) {
      const value = row[index];
      if (isNull(value)) continue;
      present++;
      const text = asText(value);
      if (!distinct.has(text)) distinct.set(text, value);
    }
    return {
      column,
      property: unique(propertyName(column), properties),
      present,
      nulls: sample.rows.length - present,
      texts: new Set(distinct.keys()),
      // A header that ends in a delimiter names a last column with nothing; a run leaves it out too.
      guess: column === "" ? { omit: true, reason: "a column without a name" } : inferType([...distinct.values()], present),
    };
  });
  const point = pointGuess(columns, sample, isNull, properties);
  return { sample, label: unique(labelFromFileName(sample.stem), usedLabels), nullTokens, columns, ...(point ? { point } : {}) };
}

/** Values as a run's `nullValues` see them: `""` always, the tokens found, and JSON null or a missing key. */
function nullTest(tokens: readonly string[]): (value: unknown) => boolean {
  const nulls = new Set(["", ...tokens]);
  return (value) => value === undefined || value === null || (typeof value === "string" && nulls.has(value));
}

export function asText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function findNullTokens(sample: TableSample): NullToken[] {
  const tokens: ReadonlySet<unknown> = new Set(NULL_TOKENS);
  const counts = new Map<string, number[]>();
  for (const row of sample.rows) {
    for (let index = 0; index < row.length; index++) {
      const value = row[index];
      if (!tokens.has(value)) continue;
      const perColumn = counts.get(value as string) ?? counts.set(value as string, new Array<number>(sample.columns.length).fill(0)).get(value as string)!;
      perColumn[index]++;
    }
  }
  return NULL_TOKENS.flatMap((token) => {
    const perColumn = counts.get(token);
    if (!perColumn) return [];
    return [{ token, columns: sample.columns.flatMap((column, index) => (perColumn[index] > 0 ? [{ column, count: perColumn[index] }] : [])) }];
  });
}

const LATITUDE = new Set(["lat", "latitude"]);
const LONGITUDE = new Set(["lon", "lng", "long", "longitude"]);

/** Numeric columns named latitude and longitude, within their ranges, make a point as well. */
function pointGuess(columns: readonly ColumnProfile[], sample: TableSample, isNull: (value: unknown) => boolean, properties: Set<string>): PointGuess | undefined {
  const numeric = (profile: ColumnProfile): boolean => profile.guess.type === "float" || profile.guess.type === "integer";
  const latitude = columns.find((profile) => LATITUDE.has(normalized(profile.column)) && numeric(profile));
  const longitude = columns.find((profile) => LONGITUDE.has(normalized(profile.column)) && numeric(profile));
  if (!latitude || !longitude) return undefined;
  const at = (profile: ColumnProfile): number => sample.columns.indexOf(profile.column);
  const [lat, lon] = [at(latitude), at(longitude)];
  const inRange = sample.rows.every((row) => isNull(row[lat]) || isNull(row[lon]) || (Math.abs(Number(row[lat])) <= 90 && Math.abs(Number(row[lon])) <= 180));
  if (!inRange) return undefined;
  return {
    property: unique("location", properties),
    latitude: latitude.column,
    longitude: longitude.column,
    reason: `point: from ${latitude.column} and ${longitude.column}, numbers within ±90 and ±180 (for spatial queries; the two stay properties too)`,
  };
}

/** Pairs tried for a key, best first; enough for the columns that matter, bounded for wide files. */
const MAX_PAIRS = 45;

const KEY_TYPES = new Set([undefined, "string", "integer", "date", "localdatetime", "datetime"]);

/** Columns that together may make a key of a file without a smaller one; more would be no key a person would keep. */
const MAX_ROW_KEY = 6;

/**
 * The key of a file's node: the column unique and never null in the sample, `id`-like names
 * first, then codes and dates, then names, and numbers that read as measures last. Where no
 * single column is unique, or only a measure is, a pair that is unique (columns that link to
 * other files first); then all the columns without nulls, where they are few and unique
 * together. Where none of that is, rows are created rather than merged.
 */
export function chooseKey(profile: TableProfile, linkColumns: ReadonlySet<string> = new Set()): KeyChoice {
  const rows = profile.sample.rows.length;
  const sampled = rows === 1 ? "the one row" : profile.sample.complete ? `all ${rows} rows (the whole file)` : `${rows} sampled rows`;
  const keyable = profile.columns.filter((column) => column.nulls === 0 && column.present > 0 && KEY_TYPES.has(column.guess.type) && !column.guess.omit);
  const index = (column: ColumnProfile): number => profile.columns.indexOf(column);
  const uniqueTogether = (columns: readonly ColumnProfile[]): boolean => {
    if (rows === 0) return false;
    const at = columns.map(index);
    const seen = new Set<string>();
    for (const row of profile.sample.rows) {
      const key = at.map((column) => asText(row[column])).join("\u0000");
      if (seen.has(key)) return false;
      seen.add(key);
    }
    return true;
  };
  const rank = (column: ColumnProfile): number => keyRank(column, profile);
  // Two columns that both link and nothing else: a junction table, whatever else is unique in it.
  const [first, second, ...more] = profile.columns;
  if (second && more.length === 0 && linkColumns.has(first.column) && linkColumns.has(second.column) && keyable.length === 2 && uniqueTogether([first, second])) {
    return { columns: [first.column, second.column], unique: true, reason: `both columns link to other files, and as a pair they are unique and never empty in ${sampled}` };
  }
  const [single] = keyable.filter((column) => column.texts.size === rows).sort((a, b) => rank(a) - rank(b));
  if (single && rank(single) < MEASURE) {
    const why = rank(single) < 2 ? "; named like an id" : "";
    return { columns: [single.column], unique: true, reason: `unique and never empty in ${sampled}${why}` };
  }
  const pairRank = ([a, b]: [ColumnProfile, ColumnProfile]): number => (linkColumns.has(a.column) ? 0 : 5) + (linkColumns.has(b.column) ? 0 : 5) + rank(a) + rank(b);
  // Pairs are tried best first and the first unique one is taken: a wide file has many pairs.
  const pairs: Array<[ColumnProfile, ColumnProfile]> = [];
  for (let i = 0; i < keyable.length; i++) for (let j = i + 1; j < keyable.length; j++) pairs.push([keyable[i], keyable[j]]);
  pairs.sort((x, y) => pairRank(x) - pairRank(y));
  // A number unique by chance (an amount, a count) is a worse key than a pair of codes or names.
  const pair = pairs.slice(0, MAX_PAIRS).find((candidate) => (!single || candidate.every((column) => rank(column) < MEASURE)) && uniqueTogether(candidate));
  if (pair) {
    const linking = pair.every((column) => linkColumns.has(column.column)) ? "; both link to other files" : "";
    const instead = single ? `; ${single.column} is unique too, but reads as a measure` : "";
    const what = single ? "this pair is unique" : "no column is unique, this pair is";
    return { columns: pair.map((column) => column.column), unique: true, reason: `${what}, never empty, in ${sampled}${linking}${instead}` };
  }
  if (single) return { columns: [single.column], unique: true, reason: `unique and never empty in ${sampled}; a number, so check that it identifies a row` };
  if (keyable.length > 2 && keyable.length <= MAX_ROW_KEY && uniqueTogether(keyable)) {
    return { columns: keyable.map((column) => column.column), unique: true, reason: `no column or pair is unique; these ${keyable.length} columns, never empty, are together in ${sampled}` };
  }
  const fallback = keyable[0] ?? [...profile.columns].sort((a, b) => a.nulls - b.nulls)[0];
  return {
    columns: fallback ? [fallback.column] : [],
    unique: false,
    reason: `no column or pair of columns is unique in ${sampled}: rows are created, not merged, and a key only needs a value; name a real key if there is one`,
  };
}

/** The rank of a whole number that is not named like an id: an amount more often than a key. */
const MEASURE = 4;

/** 0: `id` or `<label>ID`; 1: an id-like name; 2: a code (short text without spaces) or a date; 3: a name (text with spaces); 4: a number. */
function keyRank(column: ColumnProfile, profile: TableProfile): number {
  if (isOwnId(column.column, profile)) return 0;
  if (isIdLike(column.column)) return 1;
  const type = column.guess.type;
  if (type === "integer") return MEASURE;
  if (type !== undefined && type !== "string") return 2;
  return [...column.texts].every((text) => text.length <= 40 && !/\s/.test(text)) ? 2 : 3;
}

/** `id`, or the file's own name with an id suffix (`categoryID` in categories.csv). */
export function isOwnId(column: string, profile: TableProfile): boolean {
  const name = normalized(column);
  const own = [normalized(profile.label), normalized(profile.sample.stem)];
  return name === "id" || own.some((stem) => name === `${stem}id` || (isIdLike(column) && baseName(column) === stem));
}
