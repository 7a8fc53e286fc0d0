import type { NodeTarget, RelationshipTarget, WriteMode } from "../pipeline/pipeline.js";

/**
 * Cypher generation. Names from the pipeline file only ever appear backtick-escaped, and
 * values only ever travel in `$rows`, so no file content can change a statement's shape.
 *
 * Row layout (see row-mapper.ts): node rows are `{k: [key values], p: {properties}}`,
 * relationship rows `{i: index in batch, f: [from key], t: [to key], p: {properties}}`.
 */
export function escapeIdentifier(name: string): string {
  return "`" + name.replaceAll("`", "``") + "`";
}

function labelsOf(labels: readonly string[]): string {
  return labels.map((label) => `:${escapeIdentifier(label)}`).join("");
}

function keyPattern(properties: readonly { property: string }[], list: string): string {
  return `{${properties.map((field, index) => `${escapeIdentifier(field.property)}: ${list}[${index}]`).join(", ")}}`;
}

export function nodeCypher(target: NodeTarget, mode: WriteMode): string {
  const verb = mode === "merge" ? "MERGE" : "CREATE";
  return [
    "UNWIND $rows AS row",
    `${verb} (n${labelsOf(target.labels)} ${keyPattern(target.key, "row.k")})`,
    ...(target.properties.length > 0 ? ["SET n += row.p"] : []),
  ].join("\n");
}

/**
 * Each row's endpoints are matched inside a subquery whose count tells whether the row
 * wrote anything; the statement returns the batch index of every row that did not, so
 * missing endpoints are reported per row instead of vanishing.
 */
export function relationshipCypher(target: RelationshipTarget, mode: WriteMode): string {
  const verb = mode === "merge" ? "MERGE" : "CREATE";
  return [
    "UNWIND $rows AS row",
    "CALL {",
    "  WITH row",
    `  MATCH (a${labelsOf([target.from.label])} ${keyPattern(target.from.key, "row.f")})`,
    `  MATCH (b${labelsOf([target.to.label])} ${keyPattern(target.to.key, "row.t")})`,
    `  ${verb} (a)-[r${labelsOf([target.type])}]->(b)`,
    ...(target.properties.length > 0 ? ["  SET r += row.p"] : []),
    "  RETURN count(*) AS matched",
    "}",
    "WITH row, matched WHERE matched = 0",
    "RETURN row.i AS unmatched",
  ].join("\n");
}

export function userCypher(body: string): string {
  return `UNWIND $rows AS row\n${body.trim()}`;
}
