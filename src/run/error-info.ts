/** Code and message of any error: the server's code (`Neo.ClientError…`) where it has one. */
export function errorInfo(error: unknown): { code: string; message: string } {
  if (error && typeof error === "object") {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { code: typeof code === "string" && code ? code : "GL_ERROR", message: typeof message === "string" ? message : String(error) };
  }
  return { code: "GL_ERROR", message: String(error) };
}
