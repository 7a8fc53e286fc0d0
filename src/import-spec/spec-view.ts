/**
 * An import specification read for the semantic checks, after its JSON Schema check passed:
 * every list present (empty when the file leaves it out), defaults applied as import-spec's
 * own model applies them (targets are active unless `active: false`; type names and enum
 * values in any case), and each element with its JSON path in the file.
 */

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const SCHEMA_KINDS = [
  "type_constraints",
  "key_constraints",
  "unique_constraints",
  "existence_constraints",
  "range_indexes",
  "text_indexes",
  "point_indexes",
  "fulltext_indexes",
  "vector_indexes",
] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

/** A constraint or an index as written: `label` (`labels` for full-text) on nodes only; `property` or `properties`. */
export interface SchemaItem {
  readonly name: string;
  readonly label?: string;
  readonly labels?: readonly string[];
  readonly property?: string;
  readonly properties?: readonly string[];
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface SchemaItemView {
  readonly kind: SchemaKind;
  readonly index: number;
  readonly path: string;
  readonly item: SchemaItem;
}

export interface PropertyTypeView {
  /** Upper case, as import-spec's enum names it: `STRING`, `FLOAT_VECTOR`. */
  readonly name: string;
  readonly dimension?: number;
}

export interface PropertyView {
  readonly path: string;
  readonly sourceField: string;
  readonly targetProperty: string;
  readonly type?: PropertyTypeView;
}

interface TargetBase {
  readonly path: string;
  readonly index: number;
  readonly name: string;
  readonly source: string;
  readonly active: boolean;
  readonly dependsOn: readonly string[];
  /** The key the file lists them under: see dependencies(). */
  readonly dependsOnPath: string;
  readonly raw: Loose;
}

interface EntityBase extends TargetBase {
  readonly properties: readonly PropertyView[];
  readonly schema: Readonly<Record<SchemaKind, readonly SchemaItemView[]>>;
  readonly schemaPath: string;
}

export interface NodeTargetView extends EntityBase {
  readonly kind: "nodes";
  readonly labels: readonly string[];
}

export interface NodeReferenceView {
  readonly end: "start" | "end";
  /** `…start_node_reference`, also when the reference is a bare name. */
  readonly path: string;
  readonly name: string;
  /** Whether it is written as an object with `key_mappings`, not as a bare name. */
  readonly explicit: boolean;
  readonly keyMappings: ReadonlyArray<{ readonly sourceField: string; readonly nodeProperty: string }>;
}

export interface RelationshipTargetView extends EntityBase {
  readonly kind: "relationships";
  readonly type: string;
  readonly start: NodeReferenceView;
  readonly end: NodeReferenceView;
}

export interface QueryTargetView extends TargetBase {
  readonly kind: "queries";
  readonly query: string;
}

export type EntityTargetView = NodeTargetView | RelationshipTargetView;
export type TargetView = EntityTargetView | QueryTargetView;

export interface SourceView {
  readonly path: string;
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly raw: Loose;
}

export interface ActionView {
  readonly path: string;
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly raw: Loose;
}

export interface SpecView {
  readonly config: Readonly<Record<string, unknown>>;
  readonly sources: readonly SourceView[];
  readonly nodes: readonly NodeTargetView[];
  readonly relationships: readonly RelationshipTargetView[];
  readonly queries: readonly QueryTargetView[];
  /** Nodes, then relationships, then queries: the order import-spec visits them in. */
  readonly targets: readonly TargetView[];
  readonly actions: readonly ActionView[];
}

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/**
 * What a target waits for. The documented key is `depends_on`; import-spec's model also binds
 * `dependencies` (the name of its getter, which Jackson uses as a second key, taking precedence),
 * and the library's own tests write it that way, so graphload reads it too.
 */
export function dependencies(target: Loose, path: string): { dependsOn: string[]; dependsOnPath: string } {
  if ("dependencies" in target) return { dependsOn: list<string>(target.dependencies), dependsOnPath: `${path}.dependencies` };
  return { dependsOn: list<string>(target.depends_on), dependsOnPath: `${path}.depends_on` };
}

function propertyType(value: unknown): PropertyTypeView | undefined {
  if (typeof value === "string") return { name: value.toUpperCase() };
  if (value && typeof value === "object" && typeof (value as Loose).name === "string") {
    const { name, dimension } = value as Loose;
    return { name: name.toUpperCase(), ...(typeof dimension === "number" ? { dimension } : {}) };
  }
  return undefined;
}

function entity(raw: Loose, path: string, index: number): EntityBase {
  const schemaPath = `${path}.schema`;
  const schema = Object.fromEntries(
    SCHEMA_KINDS.map((kind) => [
      kind,
      list<SchemaItem>(raw.schema?.[kind]).map((item, i) => ({ kind, index: i, path: `${schemaPath}.${kind}[${i}]`, item })),
    ]),
  ) as Record<SchemaKind, SchemaItemView[]>;
  return {
    path,
    index,
    name: raw.name,
    source: raw.source,
    active: raw.active !== false,
    ...dependencies(raw, path),
    raw,
    properties: list<Loose>(raw.properties).map((mapping, i) => ({
      path: `${path}.properties[${i}]`,
      sourceField: mapping.source_field,
      targetProperty: mapping.target_property,
      type: propertyType(mapping.target_property_type),
    })),
    schema,
    schemaPath,
  };
}

function nodeReference(value: unknown, path: string, end: "start" | "end"): NodeReferenceView {
  if (typeof value === "string") return { end, path, name: value, explicit: false, keyMappings: [] };
  const reference = (value ?? {}) as Loose;
  return {
    end,
    path,
    name: reference.name,
    explicit: true,
    keyMappings: list<Loose>(reference.key_mappings).map((mapping) => ({ sourceField: mapping.source_field, nodeProperty: mapping.node_property })),
  };
}

export function readSpec(spec: Loose): SpecView {
  const targets: Loose = spec.targets ?? {};
  const nodes = list<Loose>(targets.nodes).map((raw, index): NodeTargetView => {
    const path = `$.targets.nodes[${index}]`;
    return { ...entity(raw, path, index), kind: "nodes", labels: list<string>(raw.labels) };
  });
  const relationships = list<Loose>(targets.relationships).map((raw, index): RelationshipTargetView => {
    const path = `$.targets.relationships[${index}]`;
    return {
      ...entity(raw, path, index),
      kind: "relationships",
      type: raw.type,
      start: nodeReference(raw.start_node_reference, `${path}.start_node_reference`, "start"),
      end: nodeReference(raw.end_node_reference, `${path}.end_node_reference`, "end"),
    };
  });
  const queries = list<Loose>(targets.queries).map(
    (raw, index): QueryTargetView => {
      const path = `$.targets.queries[${index}]`;
      return { kind: "queries", path, index, name: raw.name, source: raw.source, active: raw.active !== false, ...dependencies(raw, path), raw, query: raw.query };
    },
  );
  return {
    config: spec.config && typeof spec.config === "object" ? spec.config : {},
    sources: list<Loose>(spec.sources).map((raw, index) => ({ path: `$.sources[${index}]`, index, name: raw.name, type: raw.type, raw })),
    nodes,
    relationships,
    queries,
    targets: [...nodes, ...relationships, ...queries],
    actions: list<Loose>(spec.actions).map((raw, index) => ({ path: `$.actions[${index}]`, index, name: raw.name, type: raw.type, raw })),
  };
}

/** The properties a node or relationship target writes. */
export function mappedProperties(target: EntityTargetView): Set<string> {
  return new Set(target.properties.map((property) => property.targetProperty));
}

/** JSON with object keys sorted: equal for values Java's `equals` holds equal (maps in any key order). */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Loose)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
