import { Ajv2020 } from "ajv/dist/2020.js";
import { schemaIssues } from "../pipeline/check-schema.js";
import type { ValidationIssue } from "../pipeline/validation-issue.js";
import specSchema from "./spec.v1.json" with { type: "json" };

// spec.v1.json is import-spec's own JSON Schema (Apache License 2.0), unchanged.
const validate = new Ajv2020({ allErrors: true, verbose: true, strict: false }).compile(specSchema);

/** Checks an import specification against its own JSON Schema, every violation with its path. */
export function checkImportSpec(document: unknown): ValidationIssue[] {
  if (validate(document)) return [];
  return schemaIssues(validate.errors ?? []);
}
