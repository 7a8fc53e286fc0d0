import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject, Options, ValidateFunction } from "ajv";
import type { ErrorCode } from "../error-codes.js";
import { NAME_PATTERN, pipelineSchema } from "./pipeline-schema.js";
import { childPath, type ValidationIssue } from "../model/validation-issue.js";

export const PIPELINE_VALIDATOR_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true };

/** Written by `npm run build` (scripts/precompile-validators.mjs) from the same schema and options. */
const PRECOMPILED = new URL("./pipeline-validator.cjs", import.meta.url);

let validator: ValidateFunction | undefined;

/**
 * The validator of the pipeline schema: the precompiled one of a build, else (running from
 * the sources, in tests) compiled here, once.
 */
function validate(document: unknown): boolean {
  validator ??= existsSync(PRECOMPILED) ? (requireHere(PRECOMPILED.pathname) as ValidateFunction) : compileNow();
  return validator(document);
}

const requireHere = createRequire(import.meta.url);

function compileNow(): ValidateFunction {
  const { Ajv } = requireHere("ajv") as typeof import("ajv");
  return new Ajv(PIPELINE_VALIDATOR_OPTIONS).compile(pipelineSchema);
}

/** Stable codes for the schema keywords a user can trip over. */
const CODES: Record<string, ErrorCode> = {
  additionalProperties: "GL_UNKNOWN_KEY",
  required: "GL_MISSING_SETTING",
  type: "GL_WRONG_TYPE",
  enum: "GL_INVALID_VALUE",
  const: "GL_INVALID_VALUE",
  pattern: "GL_INVALID_VALUE",
  minimum: "GL_OUT_OF_RANGE",
  maximum: "GL_OUT_OF_RANGE",
  minLength: "GL_EMPTY",
  maxLength: "GL_TOO_LONG",
  minItems: "GL_EMPTY",
  minProperties: "GL_EMPTY",
};

/** Checks the document's shape against the version 1 schema and reports every violation. */
export function checkSchema(document: unknown): ValidationIssue[] {
  if (validate(document)) return [];
  return schemaIssues(validator!.errors ?? []);
}

/** JSON Schema errors as issues with paths and stable codes; `if` only says a `then` or `else` failed, which has its own error. */
export function schemaIssues(errors: readonly ErrorObject[]): ValidationIssue[] {
  return errors.filter((error) => error.keyword !== "if").map(toIssue);
}

function toIssue(error: ErrorObject): ValidationIssue {
  const path = pointerToPath(error.instancePath);
  const code = CODES[error.keyword] ?? "GL_INVALID_VALUE";
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const suggestion = closest(key, allowed);
      return {
        path: childPath(path, key),
        code,
        message: `unknown key "${key}"${suggestion ? `; did you mean "${suggestion}"?` : ""} Allowed here: ${allowed.join(", ")}`,
      };
    }
    case "required": {
      const key = String(error.params.missingProperty);
      return { path: childPath(path, key), code, message: `"${key}" is required here` };
    }
    case "enum":
      return { path, code, message: `must be one of: ${(error.params.allowedValues as unknown[]).join(", ")}` };
    case "const":
      return { path, code, message: `must be ${JSON.stringify(error.params.allowedValue)}` };
    case "type":
      return { path, code, message: `must be ${[error.params.type].flat().join(" or ")}, not ${describe(error.data)}` };
    case "pattern":
      return {
        path,
        code,
        message: error.params.pattern === NAME_PATTERN ? "may contain only letters, digits, '.', '_' and '-', starting with a letter or digit" : `must match ${error.params.pattern}`,
      };
    default:
      return { path, code, message: error.message ?? "is invalid" };
  }
}

function pointerToPath(pointer: string): string {
  if (pointer === "") return "$";
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, part) => childPath(path, /^\d+$/.test(part) ? Number(part) : part), "$");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `${typeof value} ${JSON.stringify(value)}`;
}

/** The allowed key nearest to a misspelt one, when it is near enough to be a likely typo. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
