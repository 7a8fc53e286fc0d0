/**
 * Identifiers are backtick-escaped when Cypher is generated, so almost any text is safe;
 * what cannot be escaped (empty names, control characters) is refused. The same test
 * applies to a name in the pipeline file and to a label or type read from a cell.
 */
export function identifierProblem(name: string, what: string): string | undefined {
  if (name.trim() === "") return `${what} must not be empty`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return `${what} ${JSON.stringify(name)} contains a control character`;
  return undefined;
}
