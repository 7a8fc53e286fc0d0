/**
 * Every error graphload raises on purpose carries a stable code (`GL_…`) that scripts and
 * dead-letter files can rely on, and the context (file, line, path) that locates it.
 */
export class GraphloadError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GraphloadError";
    this.code = code;
    this.context = context;
  }
}
