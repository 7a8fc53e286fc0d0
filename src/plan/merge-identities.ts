import type { EndpointRef, FieldMapping, NodeTarget, RelationshipTarget, TaskTarget, WriteMode } from "../model/pipeline.js";
import { decodeVariant, exampleVariant } from "./dynamic-names.js";
import { hashPart, KEY_HASH_SEED } from "./key-hash.js";
import { groupOf, nodeLayout, relationshipLayout, type FieldGroup } from "./row-layout.js";
import type { Row } from "./row-mapper.js";

/** What a row merges, each `[namespace, ...key values]`: rows sharing one apply in order, never at once. */
export type Identities = (row: Row, variant: string) => readonly (readonly unknown[])[];

/** The same as hashes (key-hash.ts), one per identity, appended to `out`: what the engine routes by, without an array per row. */
export type IdentityKeys = (row: readonly unknown[], variant: string, out: number[]) => void;

/** One identity of a task's rows: a namespace (fixed, or decided by the row's variant) and a group of the row. */
interface IdentityPart {
  readonly namespace: (variant: string) => string;
  readonly first: number;
  readonly width: number;
}

/**
 * The namespace of nodes merged on labels and key properties: `Drug|name`. A node task and
 * a relationship endpoint that merge the same label on the same key share it, so the same
 * node is ordered the same way wherever it is merged.
 */
function nodeNamespace(labels: readonly string[], key: readonly FieldMapping[]): string {
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
export function compileIdentities(
  target: TaskTarget,
  mode: WriteMode,
): { readonly identities: Identities; readonly identityKeys: IdentityKeys; readonly identityCount: number } | undefined {
  const parts = target.kind === "node" ? (mode === "merge" ? nodeParts(target) : undefined) : target.kind === "relationship" ? relationshipParts(target, mode) : undefined;
  if (!parts) return undefined;
  return {
    identityCount: parts.length,
    identities: (row, variant) => parts.map(({ namespace, first, width }) => [namespace(variant), ...(row as unknown[]).slice(first, first + width)]),
    identityKeys: hashedParts(parts),
  };
}

/**
 * The keys of the two nodes a relationship row locks, hashed as `[label, ...key values]`:
 * the same node has the same hash through either endpoint (mix and batch).
 */
export function compileEndpointKeys(target: RelationshipTarget): IdentityKeys {
  const layout = relationshipLayout(target);
  return hashedParts([part(groupOf(layout, "fromKey"), () => target.from.label), part(groupOf(layout, "toKey"), () => target.to.label)]);
}

/** Hashes of the parts of a row, straight from its positions: no array per row. */
function hashedParts(parts: readonly IdentityPart[]): IdentityKeys {
  const hashed = parts.map((part) => ({ ...part, seed: memoizedSeed(part.namespace) }));
  return (row, variant, out) => {
    for (const { seed, first, width } of hashed) {
      let hash = seed(variant);
      for (let i = first; i < first + width; i++) hash = hashPart(hash, String(row[i]));
      out.push(hash);
    }
  };
}

/** The hash of a namespace, the start of every hash of a key in it. */
function memoizedSeed(namespace: (variant: string) => string): (variant: string) => number {
  const seeds = new Map<string, number>();
  return (variant) => {
    let seed = seeds.get(variant);
    if (seed === undefined) seeds.set(variant, (seed = hashPart(KEY_HASH_SEED, namespace(variant))));
    return seed;
  };
}

function part(group: FieldGroup, namespace: (variant: string) => string): IdentityPart {
  return { namespace, first: group.first, width: group.fields.length };
}

function nodeParts(target: NodeTarget): IdentityPart[] {
  // The node is merged on its fixed labels, or on the labels from columns when it has none.
  const fixed = target.labels.length > 0 ? nodeNamespace(target.labels, target.key) : undefined;
  return [part(groupOf(nodeLayout(target), "key"), (variant) => fixed ?? nodeNamespace(decodeVariant(variant), target.key))];
}

function relationshipParts(target: RelationshipTarget, mode: WriteMode): IdentityPart[] | undefined {
  const layout = relationshipLayout(target);
  const merged = (["from", "to"] as const).filter((end) => target[end].merge);
  if (merged.length > 0) {
    return merged.map((end) => {
      const namespace = nodeNamespace([target[end].label], target[end].key);
      return part(groupOf(layout, `${end}Key`), () => namespace);
    });
  }
  if (mode !== "merge") return undefined;
  const prefix = `${nodeNamespace([target.from.label], target.from.key)}-[`;
  const suffix = `]->${nodeNamespace([target.to.label], target.to.key)}`;
  const fixed = typeof target.type === "string" ? target.type : undefined;
  return [part(groupOf(layout, "fromKey"), (variant) => prefix + (fixed ?? decodeVariant(variant)[0]) + suffix)];
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
