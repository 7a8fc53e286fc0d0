import { escapeIdentifier } from "../model/escape-identifier.js";
import type { FieldMapping, NodeTarget, RelationshipTarget, WriteMode } from "../model/pipeline.js";
import { columnParameter, TEXT_SEPARATOR, textParameter } from "./batch-parameters.js";
import { groupOf, nodeLayout, relationshipLayout, textPositions, type FieldGroup, type FieldRole, type RowLayout } from "./row-layout.js";
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

/**
 * How a statement reads its batch (batch-parameters.ts): a text position through a variable
 * holding its list, split from `$t…` when the batch sent the column as one string; every
 * other position straight from its `$c…` list.
 */
class BatchColumns {
  private readonly text: readonly number[];

  constructor(layout: RowLayout) {
    this.text = textPositions(layout);
  }

  /** The list of the values at `position`. */
  private list(position: number): string {
    return this.text.includes(position) ? columnParameter(position) : `$${columnParameter(position)}`;
  }

  /** What travelled at `position` of row `i`. */
  at(position: number): string {
    return `${this.list(position)}[i]`;
  }

  /** Every node and relationship statement begins so: the text columns' lists, then `i`, a row's index in the batch. */
  eachRow(): string[] {
    const lists = this.text.map((position) => `coalesce(split($${textParameter(position)}, ${SEPARATOR_LITERAL}), $${columnParameter(position)}) AS ${columnParameter(position)}`);
    return [...(lists.length > 0 ? [`WITH ${lists.join(", ")}`] : []), `UNWIND range(0, size(${this.list(0)}) - 1) AS i`];
  }

  /** What a subquery per row takes from outside: `i` and the text columns' lists. */
  imports(): string {
    return ["i", ...this.text.map(columnParameter)].join(", ");
  }
}

const SEPARATOR_LITERAL = `'\\u${TEXT_SEPARATOR.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}'`;

/** The typed value of the field at `position` of row `i` (wire-format.ts). */
function value(columns: BatchColumns, field: FieldMapping, position: number): string {
  return wireFormat(field.type).decode(columns.at(position));
}

/** `{a: $c0[i], b: $c1[i]}` for fields at their positions. */
function mapPattern(columns: BatchColumns, fields: readonly { field: FieldMapping; position: number }[]): string {
  return `{${fields.map(({ field, position }) => `${escapeIdentifier(field.property)}: ${value(columns, field, position)}`).join(", ")}}`;
}

/**
 * Null properties are left out of a CREATE by Cypher itself; after a MERGE, a null must not
 * remove a value already in the graph, so the old value is kept.
 */
function keepingSet(columns: BatchColumns, variable: string, group: FieldGroup): string[] {
  if (group.fields.length === 0) return [];
  const assignments = group.fields.map((field, index) => {
    const property = `${variable}.${escapeIdentifier(field.property)}`;
    return `${property} = coalesce(${value(columns, field, group.first + index)}, ${property})`;
  });
  return [`SET ${assignments.join(", ")}`];
}

/** Properties a MERGE sets only when it creates: nothing is there yet for a null to keep. */
function onCreateSet(columns: BatchColumns, variable: string, group: FieldGroup): string[] {
  if (group.fields.length === 0) return [];
  const assignments = group.fields.map((field, index) => `${variable}.${escapeIdentifier(field.property)} = ${value(columns, field, group.first + index)}`);
  return [`ON CREATE SET ${assignments.join(", ")}`];
}

/** `allColumns`: the map of other columns, whose nulls the row mapper has left out already. */
function extraSet(columns: BatchColumns, variable: string, layout: RowLayout): string[] {
  return layout.extra === undefined ? [] : [`SET ${variable} += ${columns.at(layout.extra)}`];
}

/** `{a: $c0[i], b: $c1[i]}` for the fields of several groups. */
function groupsPattern(columns: BatchColumns, groups: readonly FieldGroup[]): string {
  return mapPattern(columns, groups.flatMap((group) => group.fields.map((field, index) => ({ field, position: group.first + index }))));
}

/**
 * A node task's statement for one variant: `dynamicLabels` are the labels its row took from
 * columns. In merge mode the node is matched on its fixed labels and key, and labels from
 * columns are added to it, so a node's identity does not depend on what a row says its kind
 * is; a task with no fixed label merges on the labels from columns.
 */
export function nodeCypher(target: NodeTarget, mode: WriteMode, dynamicLabels: readonly string[] = []): string {
  const layout = nodeLayout(target);
  const columns = new BatchColumns(layout);
  const group = (role: FieldRole) => groupOf(layout, role);
  if (mode === "create") {
    const pattern = groupsPattern(columns, [group("key"), group("properties"), group("onCreate")]);
    return [...columns.eachRow(), `CREATE (n${labelsOf([...target.labels, ...dynamicLabels])} ${pattern})`, ...extraSet(columns, "n", layout)].join("\n");
  }
  const merged = target.labels.length > 0 ? target.labels : dynamicLabels;
  const added = target.labels.length > 0 ? dynamicLabels : [];
  return [
    ...columns.eachRow(),
    `MERGE (n${labelsOf(merged)} ${groupsPattern(columns, [group("key")])})`,
    ...onCreateSet(columns, "n", group("onCreate")),
    ...keepingSet(columns, "n", group("properties")),
    ...(added.length > 0 ? [`SET n${labelsOf(added)}`] : []),
    ...extraSet(columns, "n", layout),
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
  const columns = new BatchColumns(layout);
  const group = (role: FieldRole) => groupOf(layout, role);
  const endpoint = (variable: string, end: "from" | "to"): string => `(${variable}${labelsOf([target[end].label])} ${groupsPattern(columns, [group(`${end}Key`)])})`;
  const ends = [
    { variable: "a", end: "from" as const },
    { variable: "b", end: "to" as const },
  ];
  const relationship = `r${labelsOf([type])}`;
  const body =
    mode === "create"
      ? [`CREATE (a)-[${relationship}${optionalPattern(columns, [group("key"), group("properties"), group("onCreate")])}]->(b)`]
      : [`MERGE (a)-[${relationship}${optionalPattern(columns, [group("key")])}]->(b)`, ...onCreateSet(columns, "r", group("onCreate")), ...keepingSet(columns, "r", group("properties"))];
  const lines = [
    ...ends.filter(({ end }) => !target[end].merge).map(({ variable, end }) => `MATCH ${endpoint(variable, end)}`),
    ...ends
      .filter(({ end }) => target[end].merge)
      .flatMap(({ variable, end }) => [`MERGE ${endpoint(variable, end)}`, ...onCreateSet(columns, variable, group(`${end}OnCreate`))]),
    ...body,
    ...extraSet(columns, "r", layout),
    "RETURN count(*) AS matched",
  ];
  return [
    ...columns.eachRow(),
    `CALL (${columns.imports()}) {`,
    ...lines.map((line) => `  ${line}`),
    "}",
    "WITH i, matched WHERE matched = 0",
    "RETURN i AS unmatched",
  ].join("\n");
}

/** ` {…}` for a relationship pattern, or nothing when no field fills it. */
function optionalPattern(columns: BatchColumns, groups: readonly FieldGroup[]): string {
  return groups.some((group) => group.fields.length > 0) ? ` ${groupsPattern(columns, groups)}` : "";
}

export function userCypher(body: string): string {
  return `UNWIND $rows AS row\n${body.trim()}`;
}
