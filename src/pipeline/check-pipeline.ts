import { fieldName } from "../convert/convert-value.js";
import { scalarConverter } from "../convert/scalar-converters.js";
import { isErrorCode } from "../error-codes.js";
import { GraphloadError } from "../errors.js";
import { checkSchema } from "./check-schema.js";
import type { ScalarType } from "../model/pipeline.js";
import { PIPELINE_RULES } from "./pipeline-rules.js";
import { fieldMapsOf, isObject, tasksOf, type RawPipeline } from "./raw-pipeline.js";
import { childPath, type ValidationIssue } from "../model/validation-issue.js";

/**
 * Every problem of a pipeline document, as written or compiled from an import
 * specification: its shape against the schema, the rules the schema cannot say, and date
 * and time formats and time zones that cannot work. Relative file paths resolve against `baseDir`.
 */
export function checkPipeline(document: unknown, context: { readonly baseDir: string }): ValidationIssue[] {
  const issues = checkSchema(document);
  if (document === null || typeof document !== "object") return issues;
  for (const rule of PIPELINE_RULES) issues.push(...rule(document as RawPipeline, context));
  issues.push(...checkTemporalFormats(document as RawPipeline));
  return issues;
}

const TEMPORAL_TYPES: ReadonlySet<string> = new Set<ScalarType>(["date", "datetime", "localdatetime", "time", "localtime"]);

/**
 * A temporal `format` is compiled here, so that a pattern that cannot work fails the
 * pipeline with its path before anything runs, not the first task that reads it.
 */
function checkTemporalFormats(document: RawPipeline): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const checkMap = (map: unknown, path: string): void => {
    if (!isObject(map)) return;
    for (const [property, mapping] of Object.entries(map)) {
      if (!isObject(mapping) || typeof mapping.type !== "string") continue;
      const { format, timezone } = mapping;
      if (typeof format !== "string" && typeof timezone !== "string") continue;
      const scalar = mapping.type.replace(/\[\]$/, "");
      if (!TEMPORAL_TYPES.has(scalar)) continue;
      try {
        scalarConverter(scalar as ScalarType, format as string | undefined, false, timezone as string | undefined);
      } catch (error) {
        if (!(error instanceof GraphloadError)) throw error;
        const column = typeof mapping.column === "string" ? mapping.column : property;
        issues.push({ path: `${childPath(path, property)}.${typeof format === "string" ? "format" : "timezone"}`, code: isErrorCode(error.code) ? error.code : "GL_INVALID_VALUE", message: `${fieldName({ column, property })}: ${error.message}` });
      }
    }
  };
  for (const { task, path } of tasksOf(document)) {
    for (const fields of fieldMapsOf(task, path)) checkMap(fields.map, fields.path);
  }
  return issues;
}
