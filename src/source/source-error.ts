import { GraphloadError } from "../errors.js";

/** A failure while reading a source, as a GraphloadError that names the source. */
export function sourceError(error: unknown, source: string): GraphloadError {
  const context = { source };
  if (error instanceof GraphloadError) {
    const message = error.message.startsWith(source) ? error.message : `${source}: ${error.message}`;
    return new GraphloadError(error.code, message, { ...error.context, ...context }, { cause: error });
  }
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === "ENOENT") return new GraphloadError("GL_FILE_NOT_FOUND", `${source}: no such file`, context, { cause: error });
  const reason = code?.startsWith("Z_") ? `not valid gzip (${message})` : message;
  return new GraphloadError("GL_READ_FAILED", `${source}: cannot read: ${reason}`, context, { cause: error });
}
