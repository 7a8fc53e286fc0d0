import { isErrorCode } from "../error-codes.js";
import { convertDefault } from "../convert/default-value.js";
import { InvalidValue } from "../convert/invalid-value.js";
import { toPoint } from "../convert/point-value.js";
import { GraphloadError } from "../errors.js";
import { parseValueType } from "./normalize-pipeline.js";
import { SCALAR_TYPES, type ColumnField } from "../model/pipeline.js";
import type { PipelineRule } from "./pipeline-rule.js";
import { fieldMapsOf, isObject, tasksOf, type RawFieldMapping, type RawWhere } from "./raw-pipeline.js";
import { childPath, type ValidationIssue } from "../model/validation-issue.js";

/** Rules of the keys that map real data: `where`, points from columns, defaults, `onCreate`, keys of relationships, endpoints, `allColumns`. */

const COLUMN_OPERATORS = ["equals", "in", "notIn", "isNull", "matches"] as const;
const COMBINATORS = ["all", "any", "not"] as const;
const TYPE_NAMES = new Set(SCALAR_TYPES.flatMap((scalar) => [scalar, `${scalar}[]`]));

export const whereConditions: PipelineRule = (document) => {
  const issues: ValidationIssue[] = [];
  const check = (condition: unknown, path: string): void => {
    if (!isObject(condition)) return;
    const where = condition as RawWhere;
    const operators = [...COLUMN_OPERATORS, ...COMBINATORS].filter((key) => key in where);
    if (operators.length !== 1) {
      const found = operators.length > 0 ? `; this one has ${operators.join(" and ")}` : "";
      issues.push({
        path,
        code: "GL_WHERE_OPERATOR",
        message: `a condition has exactly one of equals, in, notIn, isNull, matches (each with "column"), all, any or not${found}`,
      });
    }
    const combinator = operators.find((key): key is (typeof COMBINATORS)[number] => (COMBINATORS as readonly string[]).includes(key));
    if (operators.length === 1 && !combinator && where.column === undefined) {
      issues.push({ path: `${path}.column`, code: "GL_MISSING_SETTING", message: `"column" is required with "${operators[0]}"` });
    }
    if (combinator && where.column !== undefined) {
      issues.push({ path: `${path}.column`, code: "GL_NOT_APPLICABLE", message: `"column" belongs inside the conditions of "${combinator}"` });
    }
    if (typeof where.matches === "string") {
      try {
        new RegExp(where.matches);
      } catch (error) {
        issues.push({ path: `${path}.matches`, code: "GL_INVALID_REGEX", message: `not a regular expression: ${(error as Error).message}` });
      }
    }
    for (const key of ["all", "any"] as const) if (Array.isArray(where[key])) where[key].forEach((inner, index) => check(inner, `${path}.${key}[${index}]`));
    check(where.not, `${path}.not`);
  };
  for (const { task, path } of tasksOf(document)) check(task.where, `${path}.where`);
  return issues;
};

/** A field reads one `column`, or a point's `columns`; its `default` must convert as its cells would. */
export const fieldSources: PipelineRule = (document) => {
  const issues: ValidationIssue[] = [];
  for (const { task, path } of tasksOf(document)) {
    for (const { map, path: mapPath } of fieldMapsOf(task, path)) {
      for (const [property, mapping] of Object.entries(map)) {
        if (isObject(mapping)) issues.push(...fieldSourceIssues(property, mapping as Exclude<RawFieldMapping, string>, childPath(mapPath, property)));
      }
    }
  }
  return issues;
};

function fieldSourceIssues(property: string, mapping: Exclude<RawFieldMapping, string>, path: string): ValidationIssue[] {
  const hasColumns = isObject(mapping.columns);
  if (mapping.column === undefined && !hasColumns) return [{ path: `${path}.column`, code: "GL_MISSING_SETTING", message: '"column" is required here (or "columns" for a point)' }];
  if (mapping.column !== undefined && hasColumns) {
    return [{ path, code: "GL_FIELD_SOURCE", message: 'a property reads one "column", or a point\'s "columns", not both' }];
  }
  const issues: ValidationIssue[] = [];
  if (hasColumns && mapping.type !== "point") {
    issues.push({ path: `${path}.columns`, code: "GL_NOT_APPLICABLE", message: '"columns" make a point: give the property "type: point"' });
  }
  if (mapping.crs !== undefined && !hasColumns) {
    issues.push({ path: `${path}.crs`, code: "GL_NOT_APPLICABLE", message: '"crs" applies to a point read from "columns"; a point cell names its own crs' });
  }
  if (hasColumns && mapping.type === "point") {
    const sample = Object.fromEntries(Object.keys(mapping.columns!).map((axis) => [axis, 0]));
    try {
      toPoint({ ...sample, ...(mapping.crs === undefined ? {} : { crs: mapping.crs }) });
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      issues.push({ path: `${path}.columns`, code: "GL_POINT_COLUMNS", message: `a point from latitude, longitude[, height] or x, y[, z]: ${error.reason}` });
    }
  }
  if (issues.length === 0 && mapping.default !== undefined && (mapping.type === undefined || TYPE_NAMES.has(mapping.type))) {
    const type = mapping.type ? parseValueType(mapping.type) : undefined;
    const field: ColumnField = { property, column: property, type, format: mapping.format, arrayDelimiter: mapping.arrayDelimiter ?? ";", default: mapping.default };
    try {
      convertDefault(field);
    } catch (error) {
      if (!(error instanceof GraphloadError)) throw error;
      issues.push({ path: `${path}.default`, code: isErrorCode(error.code) ? error.code : "GL_INVALID_DEFAULT", message: error.message });
    }
  }
  return issues;
}

/** A property is set on every write or only on create, never both; keys are set by the MERGE itself. */
export const onCreateNames: PipelineRule = (document) => {
  const issues: ValidationIssue[] = [];
  const check = (onCreate: unknown, path: string, properties: unknown, keys: readonly string[], keyWhere: string): void => {
    if (!isObject(onCreate)) return;
    for (const property of Object.keys(onCreate)) {
      const at = childPath(path, property);
      if (keys.includes(property)) {
        issues.push({ path: at, code: "GL_NOT_APPLICABLE", message: `"${property}" is a key property (${keyWhere}): the MERGE sets it; map it under "properties"` });
      } else if (isObject(properties) && property in properties) {
        issues.push({ path: at, code: "GL_DUPLICATE_NAME", message: `"${property}" is under "properties" already: a property is set on every write or only on create, not both` });
      }
    }
  };
  for (const { task, path } of tasksOf(document)) {
    const node = task.node;
    if (isObject(node)) check(node.onCreate, `${path}.node.onCreate`, node.properties, Array.isArray(node.key) ? node.key : [], "node.key");
    const rel = task.relationship;
    if (!isObject(rel)) continue;
    check(rel.onCreate, `${path}.relationship.onCreate`, rel.properties, [], "");
    for (const end of ["from", "to"] as const) {
      const endpoint = rel[end];
      if (!isObject(endpoint) || endpoint.onCreate === undefined) continue;
      const at = `${path}.relationship.${end}.onCreate`;
      if (endpoint.merge !== true) {
        issues.push({ path: at, code: "GL_NOT_APPLICABLE", message: '"onCreate" applies to an endpoint with "merge: true"; an endpoint without it must exist already' });
      } else {
        check(endpoint.onCreate, at, undefined, isObject(endpoint.key) ? Object.keys(endpoint.key) : [], `${end}.key`);
      }
    }
  }
  return issues;
};

/** A relationship's key names its own properties: the MERGE pattern holds them. */
export const relationshipKey: PipelineRule = (document) => {
  const issues: ValidationIssue[] = [];
  for (const { task, path } of tasksOf(document)) {
    const rel = task.relationship;
    const key = isObject(rel) ? rel.key : undefined;
    if (!isObject(rel) || !Array.isArray(key)) continue;
    const mapped = new Set([...Object.keys(isObject(rel.properties) ? rel.properties : {}), ...Object.keys(isObject(rel.onCreate) ? rel.onCreate : {})]);
    key.forEach((property, index) => {
      const at = `${path}.relationship.key[${index}]`;
      if (typeof property !== "string") return;
      if (key.indexOf(property) !== index) issues.push({ path: at, code: "GL_DUPLICATE_NAME", message: `key property "${property}" is listed twice` });
      else if (!mapped.has(property)) {
        issues.push({ path: at, code: "GL_UNKNOWN_PROPERTY", message: `relationship key "${property}" is none of the relationship's properties; map it under "properties" (or "onCreate")` });
      }
    });
  }
  return issues;
};

export const allColumnsOptions: PipelineRule = (document) =>
  [...tasksOf(document)].flatMap(({ task, path }) =>
    (["node", "relationship"] as const).flatMap((kind) => {
      const target = task[kind];
      return isObject(target) && target.exclude !== undefined && target.allColumns !== true
        ? [{ path: `${path}.${kind}.exclude`, code: "GL_NOT_APPLICABLE", message: '"exclude" applies with "allColumns: true"' }]
        : [];
    }),
  );

/** A relationship has one type: a cell split into several names serves labels only. */
export const singleType: PipelineRule = (document) =>
  [...tasksOf(document)].flatMap(({ task, path }) => {
    const type = task.relationship?.type;
    return isObject(type) && "arrayDelimiter" in type
      ? [{ path: `${path}.relationship.type.arrayDelimiter`, code: "GL_NOT_APPLICABLE" as const, message: "a relationship has one type; arrayDelimiter splits labels only" }]
      : [];
  });

export const MAPPING_RULES: readonly PipelineRule[] = [whereConditions, fieldSources, onCreateNames, relationshipKey, allColumnsOptions, singleType];
