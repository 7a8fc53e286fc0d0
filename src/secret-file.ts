import { readFileSync } from "node:fs";
import { GraphloadError } from "./errors.js";

/**
 * A secret mounted as a file (Docker and Kubernetes secrets, systemd credentials), with the
 * one trailing newline editors and `echo` leave trimmed. Failure names the file and where
 * it was given (`what`), never any of its content.
 */
export function readSecretFile(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new GraphloadError("GL_SECRET_FILE", `cannot read ${what} file ${path} (${reason})`, { file: path });
  }
  return text.replace(/\r?\n$/, "");
}
