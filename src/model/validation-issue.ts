import type { ErrorCode } from "../error-codes.js";
import { GraphloadError } from "../errors.js";

/** One problem found in a pipeline file, located by a JSONPath such as `$.stages[1].tasks[0].node.key`. */
export interface ValidationIssue {
  readonly path: string;
  readonly code: ErrorCode;
  readonly message: string;
}

/** Thrown once with every issue found, so a user fixes the file in one pass. */
export class PipelineValidationError extends GraphloadError {
  readonly issues: readonly ValidationIssue[];

  constructor(file: string | undefined, issues: readonly ValidationIssue[]) {
    const where = file ? ` in ${file}` : "";
    const lines = issues.map((issue) => `  ${issue.path}: ${issue.message} [${issue.code}]`);
    super("GL_INVALID_PIPELINE", `invalid pipeline${where} (${issues.length} error${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`, {
      file,
    });
    this.name = "PipelineValidationError";
    this.issues = issues;
  }
}

/** Appends a property or index to a JSONPath, quoting names that are not plain identifiers. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
