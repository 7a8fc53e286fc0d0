import { isMap, isScalar, LineCounter, parseDocument, type Document, type YAMLError } from "yaml";
import { childPath, PipelineValidationError, type ValidationIssue } from "../model/validation-issue.js";

/**
 * The document of a pipeline file, JSON or YAML. A syntax error fails with its line and
 * column; a YAML document keeps what locates the later checks' findings in its text.
 */
export function readDocument(text: string, options: { readonly file?: string; readonly json?: boolean }): { value: unknown; yaml?: YamlSource } {
  if (!options.json) {
    const yaml = readYaml(text, options.file);
    return { value: yaml.value, yaml };
  }
  try {
    // YAML is a superset of JSON, but JSON.parse gives JSON files JSON's own error messages.
    return { value: JSON.parse(text) };
  } catch (error) {
    throw new PipelineValidationError(options.file, [{ path: "$", code: "GL_SYNTAX", message: `not valid JSON: ${(error as Error).message}` }]);
  }
}

/** A YAML pipeline as read, kept to locate what the checks find in it. */
export interface YamlSource {
  readonly value: unknown;
  readonly text: string;
  readonly document: Document;
  readonly lines: LineCounter;
}

function readYaml(text: string, file: string | undefined): YamlSource {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [error] = document.errors;
  if (error) throw new PipelineValidationError(file, [syntaxIssue(error, text, lines)]);
  let value: unknown;
  try {
    value = document.toJS();
  } catch (error) {
    // Aliases that expand beyond the limit fail here, past the parser.
    throw new PipelineValidationError(file, [{ path: "$", code: "GL_SYNTAX", message: `not valid YAML: ${(error as Error).message}` }]);
  }
  return { value, text, document, lines };
}

const QUOTING_ADVICE = 'quote the item ("…" or \'…\') or write it as a block scalar ("|" in its place, the text on the next lines, indented)';

/** The first YAML error with its line and column, and the usual cause where the line shows it. */
function syntaxIssue(error: YAMLError, text: string, lines: LineCounter): ValidationIssue {
  const { line, col } = lines.linePos(error.pos[0]);
  const reason = /^[A-Z][a-z]/.test(error.message) ? error.message[0].toLowerCase() + error.message.slice(1) : error.message;
  const start = lines.lineStarts[line - 1] ?? 0;
  const end = text.indexOf("\n", start);
  const hint = looksLikeUnquotedCypher(text.slice(start, end === -1 ? undefined : end))
    ? `; ": " and "{…}" (a Cypher map) in unquoted text are YAML syntax, so ${QUOTING_ADVICE}`
    : "";
  return { path: "$", code: "GL_SYNTAX", message: `not valid YAML at line ${line}, column ${col}: ${reason}${hint}` };
}

/** A line whose value is plain (unquoted, not a block scalar or flow collection) and holds ": " or braces. */
function looksLikeUnquotedCypher(line: string): boolean {
  const value = line
    .replace(/\s+#.*$/, "")
    .replace(/^\s*(?:-\s+)*/, "")
    .replace(/^[\w.$-]+:\s+/, "")
    .replace(/^(?:-\s+)*/, "");
  if (value === "" || /^["'|>{[&*!%@`]/.test(value)) return false;
  return /:\s|[{}]/.test(value);
}

/**
 * `- MERGE (n:X {a: 1})` is no syntax error: YAML reads the ": " as a map whose key is
 * `MERGE (n:X {a`. Where the checks then object to a map, say so rather than leave the
 * user looking for a map they never wrote.
 */
export function explainAccidentalMaps(issues: ValidationIssue[], yaml: YamlSource): ValidationIssue[] {
  const explained = new Map<string, ValidationIssue>();
  return issues.flatMap((issue) => {
    const segments = pathSegments(issue.path);
    for (let length = segments.length; length > 0; length--) {
      const node = yaml.document.getIn(segments.slice(0, length), true);
      if (!isMap(node) || node.items.length !== 1 || !node.range) continue;
      const [pair] = node.items;
      if (!isScalar(pair.key) || pair.key.type !== "PLAIN" || !hasOpenBracket(String(pair.key.value))) continue;
      const path = segments.slice(0, length).reduce<string>((parent, key) => childPath(parent, key), "$");
      if (explained.has(path)) return [];
      const [start, end] = node.range;
      const { line, col } = yaml.lines.linePos(start);
      const written = yaml.text.slice(start, end).split("\n")[0].trim();
      const shown = JSON.stringify(written.length > 60 ? `${written.slice(0, 60)}…` : written);
      const replacement: ValidationIssue = {
        path,
        code: "GL_SYNTAX",
        message: `line ${line}, column ${col}: YAML reads ${shown} as a map, the ": " in the unquoted text ending its key ${JSON.stringify(String(pair.key.value))}: ${QUOTING_ADVICE}`,
      };
      explained.set(path, replacement);
      return [replacement];
    }
    return [issue];
  });
}

/** A key with a bracket left open was cut by ": ", not written as a key. */
function hasOpenBracket(key: string): boolean {
  let depth = 0;
  for (const char of key) {
    if (char === "(" || char === "{" || char === "[") depth++;
    else if ((char === ")" || char === "}" || char === "]") && depth > 0) depth--;
  }
  return depth > 0;
}

/** The keys of a JSONPath as childPath writes them: `$.stages[0]["a b"]`. */
function pathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const pattern = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  pattern.lastIndex = 1;
  for (let match = pattern.exec(path); match; match = pattern.exec(path)) {
    segments.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (JSON.parse(match[3]) as string)));
  }
  return segments;
}
