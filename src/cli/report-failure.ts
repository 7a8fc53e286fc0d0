import { GraphloadError } from "../errors.js";
import { PipelineValidationError } from "../pipeline/validation-issue.js";
import { errorInfo } from "../run/error-info.js";
import { EXIT_INVALID } from "./exit-codes.js";

/**
 * Prints an error for a person and returns the exit code. Validation errors and graphload's
 * own errors mean the input is wrong (exit 2) unless the caller says otherwise.
 */
export function reportFailure(error: unknown, exitCode = EXIT_INVALID, uri?: string): number {
  if (error instanceof PipelineValidationError) {
    process.stderr.write(`${error.message}\n`);
    return EXIT_INVALID;
  }
  if (error instanceof GraphloadError) {
    process.stderr.write(`error: ${error.message} [${error.code}]\n`);
    return exitCode;
  }
  const info = errorInfo(error);
  const where = uri ? ` (${uri})` : "";
  process.stderr.write(`error${where}: ${info.message}${info.code !== "GL_ERROR" ? ` [${info.code}]` : ""}\n`);
  return exitCode;
}
