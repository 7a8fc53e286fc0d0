import { int } from "neo4j-driver";
import { scalarConverter } from "../convert/scalar-converters.js";
import { InvalidValue } from "../convert/invalid-value.js";
import type { Incremental, ScalarType } from "../model/pipeline.js";
import type { ValidationIssue } from "../model/validation-issue.js";
import { isObject, tasksOf, type RawIncremental, type RawPipeline } from "./raw-pipeline.js";

const ISO_TEMPORAL: ReadonlyArray<readonly [RegExp, ScalarType]> = [
  [/^\d{4}-\d\d-\d\d$/, "date"],
  [/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?$/, "localdatetime"],
  [/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d(:?\d\d)?)$/, "datetime"],
];

/**
 * An `initial` watermark as the column's values are typed: a whole number an INTEGER, an
 * ISO 8601 date a DATE, a local date-time a LOCAL DATETIME, one with an offset a DATETIME,
 * other text as it is; so that `$watermark` compares in Cypher, and the watermark has
 * one type from the first run on. Throws InvalidValue for a date that does not exist.
 */
export function initialWatermark(initial: number | string): unknown {
  if (typeof initial === "number") return Number.isSafeInteger(initial) ? int(initial) : initial;
  const temporal = ISO_TEMPORAL.find(([pattern]) => pattern.test(initial));
  return temporal ? scalarConverter(temporal[1], undefined)(initial.replace(" ", "T")) : initial;
}

export function incrementalOf(raw: RawIncremental | undefined): Incremental | undefined {
  return raw && { column: raw.column!, initial: initialWatermark(raw.initial!) };
}

/**
 * An incremental source's `initial` is a value its type allows, and its query takes the
 * watermark: Cypher as `$watermark`, SQL as the placeholder after keyset's, the last one.
 */
export function incrementalSources(document: RawPipeline): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const { task, path: taskPath } of tasksOf(document)) {
    const source = task.source;
    if (!isObject(source)) continue;
    for (const kind of ["neo4j", "postgres", "mysql"] as const) {
      const database = source[kind];
      if (!isObject(database) || !isObject(database.incremental)) continue;
      const path = `${taskPath}.source.${kind}`;
      const { initial } = database.incremental;
      if (typeof initial === "number" || typeof initial === "string") {
        try {
          initialWatermark(initial);
        } catch (error) {
          if (!(error instanceof InvalidValue)) throw error;
          issues.push({ path: `${path}.incremental.initial`, code: "GL_INVALID_VALUE", message: `"${initial}" is not a date or date-time that exists (${error.message})` });
        }
      }
      if (typeof database.query !== "string") continue;
      const problem = kind === "neo4j" ? cypherPlaceholder(database.query) : sqlPlaceholder(database.query, isObject(database.keyset));
      if (problem) issues.push({ path: `${path}.query`, code: "GL_INCREMENTAL_PLACEHOLDER", message: problem });
    }
  }
  return issues;
}

function cypherPlaceholder(query: string): string | undefined {
  return /\$(watermark\b|`watermark`)/.test(query) ? undefined : "an incremental query takes the watermark as $watermark, e.g. WHERE n.updatedAt > $watermark";
}

function sqlPlaceholder(query: string, keyset: boolean): string | undefined {
  const expected = keyset ? 3 : 1;
  const used = [...query.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
  const example = keyset ? "$3 after keyset's $1 (the key) and $2 (the page size), e.g. WHERE updated_at > $3 AND id > $1 ORDER BY id LIMIT $2" : "$1, e.g. WHERE updated_at > $1";
  if (!used.includes(expected)) return `an incremental query takes the watermark as ${example}`;
  const beyond = used.find((number) => number > expected);
  return beyond === undefined ? undefined : `$${beyond} is given no value: the watermark is the last placeholder, ${example}`;
}
