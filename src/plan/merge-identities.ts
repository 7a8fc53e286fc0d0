import type { EndpointRef, FieldMapping, NodeTarget, RelationshipTarget, TaskTarget, WriteMode } from "../pipeline/pipeline.js";
import { decodeVariant, exampleVariant } from "./dynamic-names.js";
import { groupOf, nodeLayout, relationshipLayout, valuesOf } from "./row-layout.js";
import type { Row } from "./row-mapper.js";

/** What a row merges, each `[namespace, ...key values]`: rows sharing one apply in order, never at once. */
export type Identities = (row: Row, variant: string) => readonly (readonly unknown[])[];

/**
 * The namespace of nodes merged on labels and key properties: `Drug|name`. A node task and
 * a relationship endpoint that merge the same label on the same key share it, so the same
 * node is ordered the same way wherever it is merged.
 */
export function nodeNamespace(labels: readonly string[], key: readonly FieldMapping[]): string {
  return `${labels.join(":")}|${propertiesOf(key).join(",")}`;
}

function propertiesOf(fields: readonly FieldMapping[]): string[] {
  return fields.map((field) => field.property);
}

/**
 * The identities of a task's rows, or undefined when its rows may apply in any order
 * (create mode without merged endpoints, cypher tasks). Kept minimal, since every identity
 * serialises rows: a node task's key; a relationship task's merged endpoints' keys, or
 * when none is merged (merge mode) its start node's key with the type, which every row
 * merging one relationship shares. A merged endpoint covers the relationship the same way.
 */
export function compileIdentities(target: TaskTarget, mode: WriteMode): Identities | undefined {
  if (target.kind === "node") return mode === "merge" ? nodeIdentities(target) : undefined;
  if (target.kind === "relationship") return relationshipIdentities(target, mode);
  return undefined;
}

function nodeIdentities(target: NodeTarget): Identities {
  const key = groupOf(nodeLayout(target), "key");
  // The node is merged on its fixed labels, or on the labels from columns when it has none.
  const fixed = target.labels.length > 0 ? nodeNamespace(target.labels, target.key) : undefined;
  const byVariant = new Map<string, string>();
  const namespaceOf = (variant: string): string => {
    if (fixed !== undefined) return fixed;
    let namespace = byVariant.get(variant);
    if (namespace === undefined) byVariant.set(variant, (namespace = nodeNamespace(decodeVariant(variant), target.key)));
    return namespace;
  };
  return (row, variant) => [[namespaceOf(variant), ...valuesOf(row as unknown[], key)]];
}

function relationshipIdentities(target: RelationshipTarget, mode: WriteMode): Identities | undefined {
  const layout = relationshipLayout(target);
  const merged = (["from", "to"] as const)
    .filter((end) => target[end].merge)
    .map((end) => ({ namespace: nodeNamespace([target[end].label], target[end].key), group: groupOf(layout, `${end}Key`) }));
  if (merged.length > 0) return (row) => merged.map(({ namespace, group }) => [namespace, ...valuesOf(row as unknown[], group)]);
  if (mode !== "merge") return undefined;
  const from = groupOf(layout, "fromKey");
  const prefix = `${nodeNamespace([target.from.label], target.from.key)}-[`;
  const suffix = `]->${nodeNamespace([target.to.label], target.to.key)}`;
  const fixed = typeof target.type === "string" ? target.type : undefined;
  return (row, variant) => [[prefix + (fixed ?? decodeVariant(variant)[0]) + suffix, ...valuesOf(row as unknown[], from)]];
}

/** How a task's rows are ordered, as `graphload plan` says it. */
export function identityNote(target: TaskTarget, mode: WriteMode): string | undefined {
  if (target.kind === "cypher") return undefined;
  if (target.kind === "node") {
    if (mode !== "merge") return "rows apply in any order (create mode)";
    const labels = target.labels.length > 0 ? target.labels : decodeVariant(exampleVariant(target));
    return `ordered by key ${pattern(labels, propertiesOf(target.key))} in merge mode: rows with the same key apply in source order, never two at once`;
  }
  const merged = (["from", "to"] as const).filter((end) => target[end].merge).map((end) => endpointPattern(target[end]));
  if (merged.length > 0) return `ordered by merged node ${merged.join(" and ")}: rows with the same node apply in source order, never two at once`;
  if (mode !== "merge") return "rows apply in any order (create mode)";
  return `ordered by start node ${endpointPattern(target.from)} in merge mode: rows of one relationship apply in source order, never two at once`;
}

function endpointPattern(endpoint: EndpointRef): string {
  return pattern([endpoint.label], propertiesOf(endpoint.key));
}

/** `(:Person {id})`, as people write a pattern. */
export function pattern(labels: readonly string[], properties: readonly string[]): string {
  return `(${labels.map((label) => `:${label}`).join("")} {${properties.join(", ")}})`;
}
