import { escapeIdentifier } from "../pipeline/escape-identifier.js";
import type { FieldMapping, NodeTarget, RelationshipTarget, WriteMode } from "../pipeline/pipeline.js";
import { wireFormat } from "./wire-format.js";

/**
 * Cypher generation. Names from the pipeline file only ever appear backtick-escaped, and
 * values only ever travel in `$rows`, so no file content can change a statement's shape.
 *
 * Rows are positional lists (see row-mapper.ts), which the driver encodes without a single
 * map key: node rows `[key values…, property values…]`, relationship rows
 * `[start key values…, end key values…, property values…]`.
 */
export { escapeIdentifier };

function labelsOf(labels: readonly string[]): string {
  return labels.map((label) => `:${escapeIdentifier(label)}`).join("");
}

/** The typed value of the field at `position` of the row (wire-format.ts). */
function value(field: FieldMapping, position: number): string {
  return wireFormat(field.type).decode(`row[${position}]`);
}

/** `{a: row[0], b: row[1]}` for fields at positions `first`, `first + 1`, … */
function mapPattern(fields: readonly FieldMapping[], first: number): string {
  return `{${fields.map((field, index) => `${escapeIdentifier(field.property)}: ${value(field, first + index)}`).join(", ")}}`;
}

/**
 * Null properties are left out of a CREATE by Cypher itself; after a MERGE, a null must not
 * remove a value already in the graph, so the old value is kept.
 */
function keepingSet(variable: string, fields: readonly FieldMapping[], first: number): string[] {
  if (fields.length === 0) return [];
  const assignments = fields.map((field, index) => {
    const property = `${variable}.${escapeIdentifier(field.property)}`;
    return `${property} = coalesce(${value(field, first + index)}, ${property})`;
  });
  return [`SET ${assignments.join(", ")}`];
}

export function nodeCypher(target: NodeTarget, mode: WriteMode): string {
  const labels = labelsOf(target.labels);
  const properties = target.key.length;
  return [
    "UNWIND $rows AS row",
    ...(mode === "create"
      ? [`CREATE (n${labels} ${mapPattern([...target.key, ...target.properties], 0)})`]
      : [`MERGE (n${labels} ${mapPattern(target.key, 0)})`, ...keepingSet("n", target.properties, properties)]),
  ].join("\n");
}

/**
 * Each row's endpoints are matched inside a subquery whose count tells whether the row
 * wrote anything; the statement returns the batch position of every row that did not, so
 * missing endpoints are reported per row instead of vanishing.
 */
export function relationshipCypher(target: RelationshipTarget, mode: WriteMode): string {
  const to = target.from.key.length;
  const properties = to + target.to.key.length;
  const type = labelsOf([target.type]);
  return [
    "UNWIND range(0, size($rows) - 1) AS i",
    "WITH i, $rows[i] AS row",
    "CALL {",
    "  WITH row",
    `  MATCH (a${labelsOf([target.from.label])} ${mapPattern(target.from.key, 0)})`,
    `  MATCH (b${labelsOf([target.to.label])} ${mapPattern(target.to.key, to)})`,
    ...(mode === "create"
      ? [`  CREATE (a)-[r${type}${target.properties.length > 0 ? ` ${mapPattern(target.properties, properties)}` : ""}]->(b)`]
      : [`  MERGE (a)-[r${type}]->(b)`, ...keepingSet("r", target.properties, properties).map((line) => `  ${line}`)]),
    "  RETURN count(*) AS matched",
    "}",
    "WITH i, matched WHERE matched = 0",
    "RETURN i AS unmatched",
  ].join("\n");
}

export function userCypher(body: string): string {
  return `UNWIND $rows AS row\n${body.trim()}`;
}
