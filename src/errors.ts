import { codeOf, type AnyErrorCode } from "./error-codes.js";

/**
 * Every error graphload raises on purpose carries a stable code (`GL_…`, error-codes.ts)
 * that scripts and dead-letter files can rely on, and the context (file, line, path) that
 * locates it. One that wraps another's error may carry that error's code instead.
 */
export class GraphloadError extends Error {
  readonly code: AnyErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: AnyErrorCode, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GraphloadError";
    this.code = code;
    this.context = context;
  }
}

/** Code and message of any error: the server's code (`Neo.ClientError…`) where it has one. */
export function errorInfo(error: unknown): { code: AnyErrorCode; message: string } {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return { code: codeOf(error), message: typeof message === "string" ? message : String(error) };
}
