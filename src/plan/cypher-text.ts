import { escapeIdentifier } from "../model/escape-identifier.js";
import type { FieldMapping, NodeTarget, RelationshipTarget, WriteMode } from "../model/pipeline.js";
import { columnParameter } from "./batch-parameters.js";
import { groupOf, nodeLayout, relationshipLayout, type FieldGroup, type FieldRole, type RowLayout } from "./row-layout.js";
import { wireFormat } from "./wire-format.js";

/**
 * Cypher generation. Names from the pipeline file only ever appear backtick-escaped, and
 * values only ever travel as parameters, so no file content can change a statement's shape.
 *
 * A batch's rows are positional lists laid out as row-layout.ts says; they travel as one
 * list per position (batch-parameters.ts), and the statement walks them by index `i`.
 */
export { escapeIdentifier };

function labelsOf(labels: readonly string[]): string {
  return labels.map((label) => `:${escapeIdentifier(label)}`).join("");
}

/** Every node and relationship statement begins so: `i` is a row's index in the batch. */
const EACH_ROW = `UNWIND range(0, size($${columnParameter(0)}) - 1) AS i`;

/** What travelled at `position` of row `i`. */
function at(position: number): string {
  return `$${columnParameter(position)}[i]`;
}

/** The typed value of the field at `position` of row `i` (wire-format.ts). */
function value(field: FieldMapping, position: number): string {
  return wireFormat(field.type).decode(at(position));
}

/** `{a: $c0[i], b: $c1[i]}` for fields at their positions. */
function mapPattern(fields: readonly { field: FieldMapping; position: number }[]): string {
  return `{${fields.map(({ field, position }) => `${escapeIdentifier(field.property)}: ${value(field, position)}`).join(", ")}}`;
}

/**
 * Null properties are left out of a CREATE by Cypher itself; after a MERGE, a null must not
 * remove a value already in the graph, so the old value is kept.
 */
function keepingSet(variable: string, group: FieldGroup): string[] {
  if (group.fields.length === 0) return [];
  const assignments = group.fields.map((field, index) => {
    const property = `${variable}.${escapeIdentifier(field.property)}`;
    return `${property} = coalesce(${value(field, group.first + index)}, ${property})`;
  });
  return [`SET ${assignments.join(", ")}`];
}

/** Properties a MERGE sets only when it creates: nothing is there yet for a null to keep. */
function onCreateSet(variable: string, group: FieldGroup): string[] {
  if (group.fields.length === 0) return [];
  const assignments = group.fields.map((field, index) => `${variable}.${escapeIdentifier(field.property)} = ${value(field, group.first + index)}`);
  return [`ON CREATE SET ${assignments.join(", ")}`];
}

/** `allColumns`: the map of other columns, whose nulls the row mapper has left out already. */
function extraSet(variable: string, layout: RowLayout): string[] {
  return layout.extra === undefined ? [] : [`SET ${variable} += ${at(layout.extra)}`];
}

/** `{a: $c0[i], b: $c1[i]}` for the fields of several groups. */
function groupsPattern(groups: readonly FieldGroup[]): string {
  return mapPattern(groups.flatMap((group) => group.fields.map((field, index) => ({ field, position: group.first + index }))));
}

/**
 * A node task's statement for one variant: `dynamicLabels` are the labels its row took from
 * columns. In merge mode the node is matched on its fixed labels and key, and labels from
 * columns are added to it, so a node's identity does not depend on what a row says its kind
 * is; a task with no fixed label merges on the labels from columns.
 */
export function nodeCypher(target: NodeTarget, mode: WriteMode, dynamicLabels: readonly string[] = []): string {
  const layout = nodeLayout(target);
  const group = (role: FieldRole) => groupOf(layout, role);
  if (mode === "create") {
    const pattern = groupsPattern([group("key"), group("properties"), group("onCreate")]);
    return [EACH_ROW, `CREATE (n${labelsOf([...target.labels, ...dynamicLabels])} ${pattern})`, ...extraSet("n", layout)].join("\n");
  }
  const merged = target.labels.length > 0 ? target.labels : dynamicLabels;
  const added = target.labels.length > 0 ? dynamicLabels : [];
  return [
    EACH_ROW,
    `MERGE (n${labelsOf(merged)} ${groupsPattern([group("key")])})`,
    ...onCreateSet("n", group("onCreate")),
    ...keepingSet("n", group("properties")),
    ...(added.length > 0 ? [`SET n${labelsOf(added)}`] : []),
    ...extraSet("n", layout),
  ].join("\n");
}

/**
 * A relationship task's statement for one type. Each row's endpoints are found inside a
 * subquery whose count tells whether the row wrote anything; the statement returns the
 * batch position of every row that did not, so missing endpoints are reported per row
 * instead of vanishing. Endpoints that must exist are matched before merged ones are
 * merged, so a row whose other endpoint is missing creates nothing at all.
 */
export function relationshipCypher(target: RelationshipTarget, mode: WriteMode, type = typeof target.type === "string" ? target.type : ""): string {
  const layout = relationshipLayout(target);
  const group = (role: FieldRole) => groupOf(layout, role);
  const endpoint = (variable: string, end: "from" | "to"): string => `(${variable}${labelsOf([target[end].label])} ${groupsPattern([group(`${end}Key`)])})`;
  const ends = [
    { variable: "a", end: "from" as const },
    { variable: "b", end: "to" as const },
  ];
  const relationship = `r${labelsOf([type])}`;
  const body =
    mode === "create"
      ? [`CREATE (a)-[${relationship}${optionalPattern([group("key"), group("properties"), group("onCreate")])}]->(b)`]
      : [`MERGE (a)-[${relationship}${optionalPattern([group("key")])}]->(b)`, ...onCreateSet("r", group("onCreate")), ...keepingSet("r", group("properties"))];
  const lines = [
    ...ends.filter(({ end }) => !target[end].merge).map(({ variable, end }) => `MATCH ${endpoint(variable, end)}`),
    ...ends
      .filter(({ end }) => target[end].merge)
      .flatMap(({ variable, end }) => [`MERGE ${endpoint(variable, end)}`, ...onCreateSet(variable, group(`${end}OnCreate`))]),
    ...body,
    ...extraSet("r", layout),
    "RETURN count(*) AS matched",
  ];
  return [
    EACH_ROW,
    "CALL (i) {",
    ...lines.map((line) => `  ${line}`),
    "}",
    "WITH i, matched WHERE matched = 0",
    "RETURN i AS unmatched",
  ].join("\n");
}

/** ` {…}` for a relationship pattern, or nothing when no field fills it. */
function optionalPattern(groups: readonly FieldGroup[]): string {
  return groups.some((group) => group.fields.length > 0) ? ` ${groupsPattern(groups)}` : "";
}

export function userCypher(body: string): string {
  return `UNWIND $rows AS row\n${body.trim()}`;
}
