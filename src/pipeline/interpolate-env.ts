import { childPath, type ValidationIssue } from "../model/validation-issue.js";

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed pipeline document.
 * An unset variable without a default is reported with the path of the string that names it;
 * `:-` also applies when the variable is set but empty, as in the shell.
 */
export function interpolateEnv(
  document: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { value: unknown; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const visit = (node: unknown, path: string): unknown => {
    if (typeof node === "string") {
      return node.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (value !== undefined && (value !== "" || fallback === undefined)) return value;
        if (fallback !== undefined) return fallback;
        issues.push({
          path,
          code: "GL_ENV_UNSET",
          message: `environment variable ${name} is not set; set it or write \${${name}:-default}`,
        });
        return "";
      });
    }
    if (Array.isArray(node)) return node.map((item, index) => visit(item, childPath(path, index)));
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, visit(item, childPath(path, key))]));
    }
    return node;
  };
  return { value: visit(document, "$"), issues };
}
