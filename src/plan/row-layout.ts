import type { FieldMapping, NodeTarget, RelationshipTarget } from "../model/pipeline.js";
import { wireFormat } from "./wire-format.js";

/** What a group of a row's values is for; the Cypher of each role differs. */
export type FieldRole = "key" | "properties" | "onCreate" | "fromKey" | "toKey" | "fromOnCreate" | "toOnCreate";

export interface FieldGroup {
  readonly role: FieldRole;
  readonly fields: readonly FieldMapping[];
  /** Position of the group's first value in the row. */
  readonly first: number;
  /** Set for keys: what a missing value is called in the error that rejects the row (`node key`). */
  readonly required?: string;
  /** Prefix of the values' names when a row is shown to a person (`from.`). */
  readonly prefix: string;
}

/**
 * Where each value sits in a positional row: groups in order, then (with `allColumns`) one
 * map of the other columns. Rows are lists because the driver encodes them without a single
 * map key; this layout is what the row mapper, the Cypher and the identities agree on.
 */
export interface RowLayout {
  readonly groups: readonly FieldGroup[];
  /** Position of the map of other columns (`allColumns`), if any. */
  readonly extra?: number;
}

type GroupSpec = Omit<FieldGroup, "first">;

function place(specs: readonly GroupSpec[], extra: boolean): RowLayout {
  let next = 0;
  const groups = specs.map((spec) => {
    const group = { ...spec, first: next };
    next += spec.fields.length;
    return group;
  });
  return extra ? { groups, extra: next } : { groups };
}

/** Node rows: `[key…, properties…, onCreate…, other columns?]`. */
export function nodeLayout(target: NodeTarget): RowLayout {
  return place(
    [
      { role: "key", fields: target.key, required: "node key", prefix: "" },
      { role: "properties", fields: target.properties, prefix: "" },
      { role: "onCreate", fields: target.onCreate, prefix: "" },
    ],
    target.allColumns !== undefined,
  );
}

/**
 * Relationship rows: `[start key…, end key…, relationship key…, properties…, onCreate…,
 * start onCreate…, end onCreate…, other columns?]`. The endpoint keys come first, where
 * the engine reads them for lanes and for unmatched rows.
 */
export function relationshipLayout(target: RelationshipTarget): RowLayout {
  return place(
    [
      { role: "fromKey", fields: target.from.key, required: "start node key", prefix: "from." },
      { role: "toKey", fields: target.to.key, required: "end node key", prefix: "to." },
      { role: "key", fields: target.key, required: "relationship key", prefix: "" },
      { role: "properties", fields: target.properties, prefix: "" },
      { role: "onCreate", fields: target.onCreate, prefix: "" },
      { role: "fromOnCreate", fields: target.from.onCreate, prefix: "from." },
      { role: "toOnCreate", fields: target.to.onCreate, prefix: "to." },
    ],
    target.allColumns !== undefined,
  );
}

export function groupOf(layout: RowLayout, role: FieldRole): FieldGroup {
  return layout.groups.find((group) => group.role === role)!;
}

/** The values of a group in a row. */
export function valuesOf(row: readonly unknown[], group: FieldGroup): unknown[] {
  return row.slice(group.first, group.first + group.fields.length);
}

/** The positions whose values travel as text, or may (wire-format.ts): the ones a batch may send as one string. */
export function textPositions(layout: RowLayout): number[] {
  return layout.groups.flatMap((group) => group.fields.flatMap((field, index) => (wireFormat(field.type).text ? [group.first + index] : [])));
}
