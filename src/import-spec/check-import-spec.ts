import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import { schemaIssues } from "../pipeline/check-schema.js";
import type { ValidationIssue } from "../model/validation-issue.js";
import specSchema from "./spec.v1.json" with { type: "json" };
import { runSpecRules } from "./spec-rules.js";
import { readSpec } from "./spec-view.js";

let validator: ValidateFunction | undefined;

/**
 * import-spec's own JSON Schema (spec.v1.json, Apache License 2.0, unchanged), compiled the
 * first time a specification is checked: a run of a graphload pipeline never pays for it.
 */
function specValidator(): ValidateFunction {
  const { Ajv2020 } = createRequire(import.meta.url)("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  return (validator ??= new Ajv2020({ allErrors: true, verbose: true, strict: false }).compile(specSchema));
}

/**
 * The source types graphload knows, with the keys each needs. import-spec leaves source types
 * to plugins; these are the ones Neo4j's import tools define. Knowing bigquery lets graphload
 * accept a valid specification that reads BigQuery and then say why it cannot run it.
 */
export const SOURCE_TYPES: Readonly<Record<string, readonly string[]>> = {
  jdbc: ["data_source", "sql"],
  text: [],
  bigquery: ["query"],
};

/** The action types import-spec's core library defines. */
export const ACTION_TYPES: readonly string[] = ["cypher"];

/** An issue found in a specification; `rule` names the rule of spec-rules.ts that found it, if one did. */
export interface SpecIssue extends ValidationIssue {
  readonly rule?: string;
}

export interface ImportSpecCheck {
  readonly errors: SpecIssue[];
  readonly warnings: SpecIssue[];
}

/** Checks an import specification as Neo4j's import-spec library does, and returns every error found. */
export function checkImportSpec(document: unknown): ValidationIssue[] {
  return validateImportSpec(document).errors.map(({ path, code, message }) => ({ path, code, message }));
}

/**
 * In import-spec's order: the JSON Schema, then the types of sources and actions, then the
 * semantic rules (spec-rules.ts). Each step runs only when the one before found no error,
 * since the later ones read what the earlier ones guarantee.
 */
export function validateImportSpec(document: unknown): ImportSpecCheck {
  const validate = specValidator();
  if (!validate(document)) return { errors: schemaIssues(validate.errors ?? []).map(explainVersion(document)), warnings: [] };
  const spec = document as Record<string, unknown>;
  const plugins = [...sourceTypeIssues(spec), ...actionTypeIssues(spec), ...dependencyListIssues(spec)];
  if (plugins.length > 0) return { errors: plugins, warnings: [] };
  return runSpecRules(readSpec(spec));
}

/** `version: 1`, unquoted, is the usual slip: YAML reads it as a number, the specification wants text. */
function explainVersion(document: unknown): (issue: ValidationIssue) => ValidationIssue {
  const version = (document as { version?: unknown } | null)?.version;
  return (issue) =>
    issue.path === "$.version" && typeof version === "number"
      ? { path: issue.path, code: "GL_SPEC_VERSION", message: `must be the text "1", not the number ${version}: quote it (version: "1")` }
      : issue;
}

function sourceTypeIssues(spec: Record<string, unknown>): ValidationIssue[] {
  const sources = Array.isArray(spec.sources) ? (spec.sources as Array<Record<string, unknown>>) : [];
  return sources.flatMap((source, index): ValidationIssue[] => {
    const path = `$.sources[${index}]`;
    const type = String(source.type).toLowerCase();
    const needs = SOURCE_TYPES[type];
    if (!needs) {
      return [{ path: `${path}.type`, code: "GL_SPEC_UNKNOWN_SOURCE_TYPE", message: `"${source.type}" is not a source type; the source types are ${Object.keys(SOURCE_TYPES).join(", ")}` }];
    }
    return needs
      .filter((key) => typeof source[key] !== "string")
      .map((key) => ({ path: `${path}.${key}`, code: "GL_SPEC_SOURCE_FIELD", message: `a ${type} source needs "${key}" (text)` }));
  });
}

function actionTypeIssues(spec: Record<string, unknown>): ValidationIssue[] {
  const actions = Array.isArray(spec.actions) ? (spec.actions as Array<Record<string, unknown>>) : [];
  return actions.flatMap((action, index) =>
    ACTION_TYPES.includes(String(action.type).toLowerCase())
      ? []
      : [{ path: `$.actions[${index}].type`, code: "GL_SPEC_UNKNOWN_ACTION_TYPE", message: `"${action.type}" is not an action type; the action types are ${ACTION_TYPES.join(", ")}` }],
  );
}

/** `dependencies`, which import-spec reads like `depends_on` (spec-view.ts), is outside its JSON Schema. */
function dependencyListIssues(spec: Record<string, unknown>): ValidationIssue[] {
  const targets = (spec.targets ?? {}) as Record<string, unknown>;
  return ["nodes", "relationships", "queries"].flatMap((kind) =>
    (Array.isArray(targets[kind]) ? (targets[kind] as Array<Record<string, unknown>>) : []).flatMap((target, index) => {
      const value = target.dependencies;
      if (!("dependencies" in target) || (Array.isArray(value) && value.every((name) => typeof name === "string"))) return [];
      return [{ path: `$.targets.${kind}[${index}].dependencies`, code: "GL_WRONG_TYPE", message: "must be a list of target names" }];
    }),
  );
}
