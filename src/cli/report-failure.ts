import { failureExitCode, type ExitCode } from "../error-codes.js";
import { errorInfo, GraphloadError } from "../errors.js";
import { PipelineValidationError } from "../model/validation-issue.js";

/** Prints an error for a person and returns the exit code its code calls for (error-codes.ts). */
export function reportFailure(error: unknown, uri?: string): ExitCode {
  if (error instanceof PipelineValidationError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof GraphloadError) {
    process.stderr.write(`error: ${error.message} [${error.code}]\n`);
  } else {
    const info = errorInfo(error);
    const where = uri ? ` (${uri})` : "";
    process.stderr.write(`error${where}: ${info.message}${info.code !== "GL_ERROR" ? ` [${info.code}]` : ""}\n`);
  }
  return failureExitCode(error);
}
