import type { ErrorCode } from "../error-codes.js";
import {
  canonical,
  mappedProperties,
  SCHEMA_KINDS,
  type EntityTargetView,
  type NodeReferenceView,
  type NodeTargetView,
  type RelationshipTargetView,
  type SchemaItemView,
  type SchemaKind,
  type SpecView,
} from "./spec-view.js";

/**
 * The semantic checks of an import specification: what its JSON Schema cannot say, such as
 * a constraint naming a property its target never writes. There is one rule for each
 * validator of Neo4j's import-spec library (`upstream` names the code that library reports),
 * so that graphload refuses what Neo4j's own tooling refuses, at the same JSON path. The
 * problems are described in graphload's words and carry graphload's codes.
 */
export interface SpecRule {
  readonly id: string;
  readonly code: ErrorCode;
  /** The code import-spec's core library reports for the same problem. */
  readonly upstream: string;
  readonly severity?: "warning";
  /**
   * Rules that must find nothing before this one runs, as in import-spec: a rule can then
   * rely on what they check (names are unique, references resolve), and a problem is
   * reported once, by the rule that names its cause.
   */
  readonly requires?: readonly string[];
  readonly check: (spec: SpecView) => Finding[];
}

export interface Finding {
  readonly path: string;
  readonly message: string;
}

const quoted = (values: Iterable<string>): string => [...values].map((value) => JSON.stringify(value)).join(", ");

/** Values listed more than once, each with how often, in the order of their first occurrence. */
function duplicates<T>(values: readonly T[]): Array<{ value: T; count: number; first: number }> {
  const counts = new Map<T, { count: number; first: number }>();
  values.forEach((value, index) => {
    const entry = counts.get(value);
    if (entry) entry.count++;
    else counts.set(value, { count: 1, first: index });
  });
  return [...counts].filter(([, entry]) => entry.count > 1).map(([value, entry]) => ({ value, ...entry }));
}

const entities = (spec: SpecView): EntityTargetView[] => [...spec.nodes, ...spec.relationships];
const references = (relationship: RelationshipTargetView): NodeReferenceView[] => [relationship.start, relationship.end];

// ---- Schema items: what each kind is called, and which import-spec validators check its labels and properties.

const KINDS: Readonly<Record<SchemaKind, { what: string; label: string; property: string }>> = {
  type_constraints: { what: "type constraint", label: "DANG-006", property: "DANG-005" },
  key_constraints: { what: "key constraint", label: "DANG-010", property: "DANG-009" },
  unique_constraints: { what: "uniqueness constraint", label: "DANG-008", property: "DANG-007" },
  existence_constraints: { what: "existence constraint", label: "DANG-012", property: "DANG-011" },
  range_indexes: { what: "range index", label: "DANG-013", property: "DANG-014" },
  text_indexes: { what: "text index", label: "DANG-015", property: "DANG-016" },
  point_indexes: { what: "point index", label: "DANG-017", property: "DANG-018" },
  fulltext_indexes: { what: "full-text index", label: "DANG-019", property: "DANG-020" },
  vector_indexes: { what: "vector index", label: "DANG-021", property: "DANG-022" },
};

const labelRuleId = (kind: SchemaKind): string => `label-of-${kind}`;
const propertyRuleId = (kind: SchemaKind): string => `property-of-${kind}`;

/** The labels a node schema item names, each with its path. */
function itemLabels({ item, path }: SchemaItemView): Array<{ label: string; path: string }> {
  if (Array.isArray(item.labels)) return item.labels.map((label, j) => ({ label, path: `${path}.labels[${j}]` }));
  return typeof item.label === "string" ? [{ label: item.label, path: `${path}.label` }] : [];
}

/** The properties a schema item names, each with its path. */
function itemProperties({ item, path }: SchemaItemView): Array<{ property: string; path: string }> {
  if (Array.isArray(item.properties)) return item.properties.map((property, j) => ({ property, path: `${path}.properties[${j}]` }));
  return typeof item.property === "string" ? [{ property: item.property, path: `${path}.property` }] : [];
}

const labelRules: SpecRule[] = SCHEMA_KINDS.map((kind) => ({
  id: labelRuleId(kind),
  code: "GL_SPEC_UNKNOWN_LABEL",
  upstream: KINDS[kind].label,
  check: (spec) =>
    spec.nodes.flatMap((node) =>
      node.schema[kind].flatMap((view) =>
        itemLabels(view)
          .filter(({ label }) => !node.labels.includes(label))
          .map(({ label, path }) => ({
            path,
            message: `the ${KINDS[kind].what} "${view.item.name}" is on label "${label}", which this target does not write (its labels: ${quoted(node.labels)})`,
          })),
      ),
    ),
}));

const propertyRules: SpecRule[] = SCHEMA_KINDS.map((kind) => ({
  id: propertyRuleId(kind),
  code: "GL_SPEC_UNMAPPED_PROPERTY",
  upstream: KINDS[kind].property,
  check: (spec) =>
    entities(spec).flatMap((target) => {
      const mapped = mappedProperties(target);
      return target.schema[kind].flatMap((view) =>
        itemProperties(view)
          .filter(({ property }) => !mapped.has(property))
          .map(({ property, path }) => ({
            path,
            message: `the ${KINDS[kind].what} "${view.item.name}" is on property "${property}", which this target does not map${mapped.size ? ` (it maps ${quoted(mapped)})` : ""}`,
          })),
      );
    }),
}));

// ---- Names and references between sources, targets and actions.

const duplicateNames: SpecRule = {
  id: "duplicate-name",
  code: "GL_SPEC_DUPLICATE_NAME",
  upstream: "DUPL-001",
  check: (spec) => {
    const named = [...spec.sources, ...spec.targets, ...spec.actions];
    const paths = new Map<string, string[]>();
    for (const { name, path } of named) paths.set(name, [...(paths.get(name) ?? []), `${path}.name`]);
    return [...paths]
      .filter(([, where]) => where.length > 1)
      .map(([name, where]) => ({
        path: where[0],
        message: `the name "${name}" is given ${where.length} times (${where.join(", ")}); sources, targets and actions each need a name of their own`,
      }));
  },
};

const unknownSource: SpecRule = {
  id: "unknown-source",
  code: "GL_SPEC_UNKNOWN_SOURCE",
  upstream: "DANG-001",
  check: (spec) => {
    const names = new Set(spec.sources.map((source) => source.name));
    return spec.targets
      .filter((target) => !names.has(target.source))
      .map((target) => ({ path: target.path, message: `reads the source "${target.source}", which is not defined; the sources are ${quoted(names)}` }));
  },
};

const unusedSource: SpecRule = {
  id: "unused-source",
  code: "GL_SPEC_UNUSED_SOURCE",
  // import-spec has no such validator: an unused source is allowed there, so it is a warning here.
  upstream: "",
  severity: "warning",
  check: (spec) => {
    const used = new Set(spec.targets.map((target) => target.source));
    return spec.sources
      .filter((source) => !used.has(source.name))
      .map((source) => ({ path: source.path, message: `no target reads the source "${source.name}", so it is not read` }));
  },
};

const unknownDependency: SpecRule = {
  id: "unknown-dependency",
  code: "GL_SPEC_UNKNOWN_DEPENDENCY",
  upstream: "DANG-002",
  check: (spec) => {
    const names = new Set(spec.targets.map((target) => target.name));
    return spec.targets.flatMap((target) =>
      target.dependsOn
        .filter((dependency) => !names.has(dependency))
        .map((dependency) => ({ path: target.path, message: `depends on "${dependency}", which is not a target (only targets can be waited for)` })),
    );
  },
};

/** `…start_node_reference.name` when the reference is an object, the reference itself when it is a bare name. */
const referenceNamePath = (reference: NodeReferenceView): string => (reference.keyMappings.length > 0 ? `${reference.path}.name` : reference.path);

const unknownNodeTarget: SpecRule = {
  id: "unknown-node-target",
  code: "GL_SPEC_UNKNOWN_NODE_TARGET",
  upstream: "DANG-003",
  check: (spec) => {
    const names = new Set(spec.nodes.map((node) => node.name));
    return spec.relationships.flatMap((relationship) =>
      references(relationship)
        .filter((reference) => !names.has(reference.name))
        .map((reference) => ({ path: referenceNamePath(reference), message: `the ${reference.end} node "${reference.name}" is not a node target` })),
    );
  },
};

const inactiveNodeTarget: SpecRule = {
  id: "inactive-node-target",
  code: "GL_SPEC_INACTIVE_NODE_TARGET",
  upstream: "DANG-004",
  requires: ["unknown-node-target"],
  check: (spec) => {
    const active = new Set(spec.nodes.filter((node) => node.active).map((node) => node.name));
    // An inactive relationship may refer to inactive nodes: neither is written.
    return spec.relationships
      .filter((relationship) => relationship.active)
      .flatMap((relationship) =>
        references(relationship)
          .filter((reference) => !active.has(reference.name))
          .map((reference) => ({
            path: referenceNamePath(reference),
            message: `the ${reference.end} node "${reference.name}" is an inactive target, so this active relationship would have no nodes to connect`,
          })),
      );
  },
};

const duplicateDependency: SpecRule = {
  id: "duplicate-dependency",
  code: "GL_SPEC_DUPLICATE_DEPENDENCY",
  upstream: "DUPL-003",
  check: (spec) =>
    spec.targets.flatMap((target) =>
      duplicates(target.dependsOn).map(({ value, count }) => ({ path: target.dependsOnPath, message: `lists "${value}" ${count} times; list it once` })),
    ),
};

const redundantDependency: SpecRule = {
  id: "redundant-dependency",
  code: "GL_SPEC_REDUNDANT_DEPENDENCY",
  upstream: "NRRD-001",
  requires: ["inactive-node-target", "unknown-dependency", "duplicate-dependency"],
  check: (spec) =>
    spec.relationships.flatMap((relationship) =>
      references(relationship)
        .filter((reference) => relationship.dependsOn.includes(reference.name))
        .map((reference) => ({
          path: relationship.dependsOnPath,
          message: `"${reference.name}" is the ${reference.end} node, which a relationship waits for already; remove it from the dependencies`,
        })),
    ),
};

/**
 * Cycles as import-spec finds them (a breadth-first walk from each target not yet seen), so
 * that each cycle is reported once, from the same target.
 */
function detectCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const visited = new Set<string>();
  for (const start of graph.keys()) {
    if (visited.has(start)) continue;
    const paths = new Map<string, string[]>();
    const queue = [start];
    while (queue.length > 0) {
      const current = queue.shift()!;
      const path = paths.get(current) ?? [];
      paths.set(current, path);
      path.push(current);
      visited.add(current);
      for (const dependency of graph.get(current) ?? []) {
        const at = path.indexOf(dependency);
        if (at > -1) cycles.push(path.slice(at));
        else if (!visited.has(dependency)) {
          queue.push(dependency);
          paths.delete(current);
          paths.set(dependency, [...path]);
        }
      }
    }
  }
  return cycles;
}

const dependencyCycle: SpecRule = {
  id: "dependency-cycle",
  code: "GL_SPEC_DEPENDENCY_CYCLE",
  upstream: "CYCL-001",
  requires: ["duplicate-name", "unknown-dependency", "unknown-node-target", "duplicate-dependency"],
  check: (spec) => {
    const pathOf = new Map(spec.targets.map((target) => [target.name, target.path]));
    const graph = new Map<string, string[]>();
    for (const target of spec.targets) {
      const waitsFor = [...target.dependsOn, ...(target.kind === "relationships" ? [target.start.name, target.end.name] : [])];
      graph.set(target.name, [...new Set(waitsFor)]);
    }
    return detectCycles(graph).map((cycle) => ({
      path: pathOf.get(cycle[0])!,
      message: `the targets wait for each other in a circle: ${[...cycle, cycle[0]].join(" -> ")}; no order can satisfy it`,
    }));
  },
};

const noActiveTarget: SpecRule = {
  id: "no-active-target",
  code: "GL_SPEC_NO_ACTIVE_TARGET",
  upstream: "IDLE-001",
  check: (spec) => (spec.targets.some((target) => target.active) ? [] : [{ path: "$.targets", message: "every target is inactive (active: false), so there is nothing to import" }]),
};

// ---- Labels and properties of a target.

const duplicateLabel: SpecRule = {
  id: "duplicate-label",
  code: "GL_SPEC_DUPLICATE_LABEL",
  upstream: "DUPL-008",
  check: (spec) =>
    spec.nodes.flatMap((node) =>
      duplicates(node.labels).map(({ value, count, first }) => ({ path: `${node.path}.labels[${first}]`, message: `the label "${value}" is listed ${count} times; list it once` })),
    ),
};

const duplicateProperty: SpecRule = {
  id: "duplicate-property",
  code: "GL_SPEC_DUPLICATE_PROPERTY",
  upstream: "DUPL-009",
  check: (spec) =>
    entities(spec).flatMap((target) =>
      duplicates(target.properties.map((property) => property.targetProperty)).map(({ value, count, first }) => ({
        path: `${target.path}.properties[${first}].target_property`,
        message: `the property "${value}" is mapped ${count} times; a property takes its value from one field`,
      })),
    ),
};

const VECTOR_TYPES = new Set(["INTEGER_VECTOR", "FLOAT_VECTOR", "FLOAT32_VECTOR", "INTEGER8_VECTOR", "INTEGER16_VECTOR", "INTEGER32_VECTOR"]);

const dimensionOnNonVector: SpecRule = {
  id: "dimension-on-non-vector",
  code: "GL_SPEC_DIMENSION_NOT_VECTOR",
  upstream: "TYPE-002",
  check: (spec) =>
    entities(spec).flatMap((target) =>
      target.properties
        .filter((property) => property.type?.dimension !== undefined && !VECTOR_TYPES.has(property.type.name))
        .map((property) => ({
          path: `${property.path}.target_property_type.dimension`,
          message: `a dimension applies to vector types only, not to ${property.type!.name.toLowerCase()}`,
        })),
    ),
};

const untypedInTypeConstraint: SpecRule = {
  id: "untyped-property-in-type-constraint",
  code: "GL_SPEC_UNTYPED_PROPERTY",
  upstream: "TYPE-001",
  requires: [propertyRuleId("type_constraints")],
  check: (spec) =>
    entities(spec).flatMap((target) => {
      const typed = new Set(target.properties.filter((property) => property.type).map((property) => property.targetProperty));
      return target.schema.type_constraints
        .filter(({ item }) => !typed.has(item.property!))
        .map(({ item, path }) => ({
          path: `${path}.property`,
          message: `the type constraint "${item.name}" is on property "${item.property}", whose mapping gives no target_property_type to require`,
        }));
    }),
};

const byteArrayInTypeConstraint: SpecRule = {
  id: "byte-array-in-type-constraint",
  code: "GL_SPEC_BYTE_ARRAY_TYPE_CONSTRAINT",
  upstream: "NBYT-001",
  requires: ["duplicate-property", propertyRuleId("type_constraints")],
  check: (spec) =>
    entities(spec).flatMap((target) => {
      const byteArrays = new Set(
        target.properties.filter((property) => property.type?.name === "BYTE_ARRAY" && property.type.dimension === undefined).map((property) => property.targetProperty),
      );
      return target.schema.type_constraints
        .filter(({ item }) => byteArrays.has(item.property!))
        .map(({ item, path }) => ({ path: `${path}.property`, message: `the type constraint "${item.name}" is on a byte_array property; Neo4j has no type constraint for byte arrays` }));
    }),
};

// ---- Schema: duplicated and redundant items.

const duplicateLabelInFullText: SpecRule = {
  id: "duplicate-label-in-fulltext-index",
  code: "GL_SPEC_DUPLICATE_LABEL",
  upstream: "DUPL-010",
  requires: [labelRuleId("fulltext_indexes")],
  check: (spec) =>
    spec.nodes.flatMap((node) =>
      node.schema.fulltext_indexes.flatMap(({ item, path }) =>
        duplicates(item.labels ?? []).map(({ value, count, first }) => ({
          path: `${path}.labels[${first}]`,
          message: `the full-text index "${item.name}" lists the label "${value}" ${count} times; list it once`,
        })),
      ),
    ),
};

/** What makes two items of one kind the same schema, their names aside. */
function signature(kind: SchemaKind, { item }: SchemaItemView): string {
  const on = [item.label ?? null, item.labels ?? null, item.property ?? null, item.properties ?? null];
  const withOptions = !["type_constraints", "existence_constraints", "range_indexes"].includes(kind);
  return canonical(withOptions ? [...on, item.options ?? null] : on);
}

const duplicateSchema: SpecRule = {
  id: "duplicate-schema",
  code: "GL_SPEC_DUPLICATE_SCHEMA",
  upstream: "DUPL-012",
  check: (spec) =>
    entities(spec).flatMap((target) =>
      SCHEMA_KINDS.flatMap((kind) => {
        const groups = new Map<string, SchemaItemView[]>();
        for (const view of target.schema[kind]) {
          const key = signature(kind, view);
          groups.set(key, [...(groups.get(key) ?? []), view]);
        }
        return [...groups.values()]
          // One name given twice is a name clash, which duplicate-schema-name reports.
          .filter((group) => new Set(group.map(({ item }) => item.name)).size > 1)
          .map((group) => ({
            path: group[0].path,
            message: `${quoted(group.map(({ item }) => item.name))} are the same ${KINDS[kind].what} under different names; keep one`,
          }));
      }),
    ),
};

/** The label and properties a schema item covers, as a key; nodes only have labels. */
const pattern = (label: string | undefined, properties: readonly string[]): string => JSON.stringify([label ?? null, properties]);

/**
 * Two kinds of schema item where one makes the other redundant when they cover the same
 * label and properties. `perProperty` compares each property of the first kind's items on
 * its own (an existence constraint is on one property; a composite key covers each of its own).
 */
function redundancyRule(options: {
  id: string;
  upstream: string;
  left: SchemaKind;
  right: SchemaKind;
  perPropertyOfRight?: boolean;
  why: string;
}): SpecRule {
  const { id, upstream, left, right, why } = options;
  const index = (views: readonly SchemaItemView[], perProperty: boolean): Map<string, string[]> => {
    const byPattern = new Map<string, string[]>();
    for (const view of views) {
      const properties = view.item.properties ?? [view.item.property!];
      const patterns = perProperty ? properties.map((property) => pattern(view.item.label, [property])) : [pattern(view.item.label, properties)];
      for (const key of patterns) byPattern.set(key, [...(byPattern.get(key) ?? []), view.path]);
    }
    return byPattern;
  };
  return {
    id,
    code: "GL_SPEC_REDUNDANT_SCHEMA",
    upstream,
    requires: [labelRuleId(left), labelRuleId(right), propertyRuleId(left), propertyRuleId(right), "duplicate-schema"],
    check: (spec) =>
      entities(spec).flatMap((target) => {
        const lefts = index(target.schema[left], false);
        const rights = index(target.schema[right], options.perPropertyOfRight ?? false);
        return [...lefts].flatMap(([key, leftPaths]) => {
          const rightPaths = rights.get(key);
          if (!rightPaths) return [];
          const items = [...leftPaths, ...rightPaths].map((path) => path.slice(target.schemaPath.length + 1));
          return [{ path: target.schemaPath, message: `${items.join(" and ")} cover the same ${target.kind === "nodes" ? "label and " : ""}properties: ${why}; remove the ${KINDS[left].what}` }];
        });
      }),
  };
}

const redundantSchema: SpecRule[] = [
  redundancyRule({
    id: "key-and-existence-constraint",
    upstream: "NRDC-001",
    left: "existence_constraints",
    right: "key_constraints",
    perPropertyOfRight: true,
    why: "a key constraint already requires each of its properties to exist",
  }),
  redundancyRule({ id: "key-and-unique-constraint", upstream: "NRDC-002", left: "unique_constraints", right: "key_constraints", why: "a key constraint already makes its properties unique" }),
  redundancyRule({ id: "key-constraint-and-range-index", upstream: "NRDC-003", left: "range_indexes", right: "key_constraints", why: "Neo4j backs a key constraint with a range index of its own" }),
  redundancyRule({
    id: "unique-constraint-and-range-index",
    upstream: "NRDC-004",
    left: "range_indexes",
    right: "unique_constraints",
    why: "Neo4j backs a uniqueness constraint with a range index of its own",
  }),
];

const duplicateSchemaName: SpecRule = {
  id: "duplicate-schema-name",
  code: "GL_SPEC_DUPLICATE_SCHEMA_NAME",
  upstream: "DUPL-011",
  requires: redundantSchema.map((rule) => rule.id),
  check: (spec) => {
    // The same item written twice (the same kind, name and definition) is one item, as in import-spec.
    const seen = new Set<string>();
    const byName = new Map<string, string[]>();
    for (const target of entities(spec)) {
      for (const kind of SCHEMA_KINDS) {
        for (const view of target.schema[kind]) {
          const identity = `${target.kind}:${kind}:${canonical(view.item)}`;
          if (seen.has(identity)) continue;
          seen.add(identity);
          byName.set(view.item.name, [...(byName.get(view.item.name) ?? []), view.path]);
        }
      }
    }
    return [...byName]
      .filter(([, paths]) => paths.length > 1)
      .map(([name, paths]) => ({
        path: paths[0],
        message: `the name "${name}" is given to ${paths.length} constraints or indexes (${paths.join(", ")}); Neo4j needs a name of its own for each`,
      }));
  },
};

// ---- Node references of relationships, and how their key mappings find the node.

const unknownPropertyInKeyMapping: SpecRule = {
  id: "unknown-property-in-key-mapping",
  code: "GL_SPEC_KEY_MAPPING_UNKNOWN_PROPERTY",
  upstream: "DANG-024",
  requires: ["inactive-node-target"],
  check: (spec) => {
    const nodes = new Map(spec.nodes.map((node) => [node.name, mappedProperties(node)]));
    return spec.relationships.flatMap((relationship) =>
      references(relationship).flatMap((reference) =>
        reference.keyMappings.flatMap((mapping, i) =>
          nodes.get(reference.name)?.has(mapping.nodeProperty) === false
            ? [
                {
                  path: `${reference.path}.key_mappings[${i}].node_property`,
                  message: `the node target "${reference.name}" maps no property "${mapping.nodeProperty}"`,
                },
              ]
            : [],
        ),
      ),
    );
  },
};

const hasKey = (node: NodeTargetView): boolean => node.schema.key_constraints.length > 0 || node.schema.unique_constraints.length > 0;

const keylessNode: SpecRule = {
  id: "keyless-node",
  code: "GL_SPEC_KEYLESS_NODE",
  upstream: "NKRN-001",
  requires: ["duplicate-name", propertyRuleId("key_constraints"), propertyRuleId("unique_constraints"), "unknown-node-target", "unknown-property-in-key-mapping"],
  check: (spec) => {
    const keyless = new Set(spec.nodes.filter((node) => !hasKey(node)).map((node) => node.name));
    return spec.relationships.flatMap((relationship) =>
      references(relationship)
        .filter((reference) => keyless.has(reference.name))
        .map((reference) => ({
          path: reference.path,
          message: `the node target "${reference.name}" has no key or uniqueness constraint, so a relationship cannot find its nodes; give it one`,
        })),
    );
  },
};

/** The key and uniqueness constraints of a node target, in that order: the ways to look one of its nodes up. */
type Lookup = ReturnType<typeof lookups>[number];

/**
 * What `check` finds at each node reference that maps key properties, of a node target
 * that has key or uniqueness constraints to find its node by.
 */
function keyMappedReferences(spec: SpecView, check: (reference: NodeReferenceView, candidates: Lookup[], mapped: Set<string>) => Finding[]): Finding[] {
  const nodes = new Map(spec.nodes.map((node) => [node.name, node]));
  return spec.relationships.flatMap((relationship) =>
    references(relationship).flatMap((reference) => {
      const node = nodes.get(reference.name);
      const candidates = node ? lookups(node) : [];
      if (reference.keyMappings.length === 0 || candidates.length === 0) return [];
      return check(reference, candidates, new Set(reference.keyMappings.map((mapping) => mapping.nodeProperty)));
    }),
  );
}

function lookups(node: NodeTargetView): Array<{ type: "key" | "unique"; name: string; path: string; properties: readonly string[] }> {
  return [
    ...node.schema.key_constraints.map(({ item, path }) => ({ type: "key" as const, name: item.name, path, properties: item.properties ?? [] })),
    ...node.schema.unique_constraints.map(({ item, path }) => ({ type: "unique" as const, name: item.name, path, properties: item.properties ?? [] })),
  ];
}

const keyMappingNotKey: SpecRule = {
  id: "key-mapping-not-a-key",
  code: "GL_SPEC_KEY_MAPPING_NOT_KEY",
  upstream: "DANG-023",
  requires: ["inactive-node-target", "unknown-property-in-key-mapping", "keyless-node"],
  check: (spec) => {
    const nodes = new Map(spec.nodes.map((node) => [node.name, node]));
    return spec.relationships.flatMap((relationship) =>
      references(relationship).flatMap((reference) => {
        const node = nodes.get(reference.name);
        const keyProperties = new Set(node ? lookups(node).flatMap((lookup) => lookup.properties) : []);
        if (keyProperties.size === 0) return [];
        return reference.keyMappings.flatMap((mapping, i) =>
          keyProperties.has(mapping.nodeProperty)
            ? []
            : [
                {
                  path: `${reference.path}.key_mappings[${i}].node_property`,
                  message: `"${mapping.nodeProperty}" is in no key or uniqueness constraint of the node target "${reference.name}" (${quoted(keyProperties)}), so it cannot find the ${reference.end} node`,
                },
              ],
        );
      }),
    );
  },
};

const partialKeyMapping: SpecRule = {
  id: "partial-key-mapping",
  code: "GL_SPEC_PARTIAL_KEY_MAPPING",
  upstream: "NINR-001",
  requires: ["key-mapping-not-a-key"],
  check: (spec) =>
    keyMappedReferences(spec, (reference, candidates, mapped) => {
      const covered = new Set(candidates.filter((lookup) => lookup.properties.every((p) => mapped.has(p))).flatMap((lookup) => lookup.properties));
      const findings: Finding[] = [];
      for (const [i, { nodeProperty }] of reference.keyMappings.entries()) {
        if (covered.has(nodeProperty)) continue;
        // The constraint it comes closest to completing: the most of it mapped, then the most properties, then the first.
        const matches = (lookup: Lookup): number => lookup.properties.filter((p) => mapped.has(p)).length;
        const closest = candidates
          .filter((lookup) => lookup.properties.includes(nodeProperty))
          .reduce<Lookup | undefined>((best, lookup) => {
            if (!best) return lookup;
            const byMatches = matches(best) - matches(lookup);
            const order = byMatches !== 0 ? byMatches : best.properties.length - lookup.properties.length;
            return order >= 0 ? best : lookup;
          }, undefined);
        // import-spec stops at the first such property: another rule names the problem.
        if (!closest) break;
        const missing = closest.properties.filter((p) => !mapped.has(p));
        findings.push({
          path: `${reference.path}.key_mappings[${i}]`,
          message: `"${nodeProperty}" is part of the ${closest.type === "key" ? "key" : "uniqueness"} constraint "${closest.name}" of the node target "${reference.name}"; map ${quoted(missing)} as well to find the ${reference.end} node by it`,
        });
      }
      return findings;
    }),
};

const ambiguousKeyMapping: SpecRule = {
  id: "key-mapping-matches-one-constraint",
  code: "GL_SPEC_KEY_MAPPING_NO_EXACT_MATCH",
  upstream: "EONR-001",
  requires: ["key-mapping-not-a-key", "partial-key-mapping"],
  check: (spec) =>
    keyMappedReferences(spec, (reference, candidates, mapped) => {
      const exact = candidates.filter((lookup) => {
        const properties = new Set(lookup.properties);
        return properties.size === mapped.size && [...properties].every((p) => mapped.has(p));
      });
      if (exact.length === 1) return [];
      return [
        {
          path: `${reference.path}.key_mappings`,
          message:
            exact.length === 0
              ? `the mapped properties ${quoted(mapped)} are not exactly the properties of any key or uniqueness constraint of the node target "${reference.name}"; map exactly one constraint's properties`
              : `the mapped properties ${quoted(mapped)} are exactly those of ${exact.length} constraints of the node target "${reference.name}" (${exact.map((lookup) => lookup.path).join(", ")}); which one finds the node is ambiguous`,
        },
      ];
    }),
};

// ---- Actions.

const cypherActions = (spec: SpecView) => spec.actions.filter((action) => String(action.type).toLowerCase() === "cypher");

const blankQuery: SpecRule = {
  id: "blank-cypher-query",
  code: "GL_SPEC_BLANK_QUERY",
  upstream: "CYPH-001",
  check: (spec) =>
    cypherActions(spec)
      .filter(({ raw }) => queryText(raw.query).trim() === "")
      .map((action) => ({ path: `${action.path}.query`, message: action.raw.query === undefined ? "a Cypher action needs a query" : "the query is blank" })),
};

/** The query text as import-spec reads it: scalars as text, anything else as nothing. */
function queryText(query: unknown): string {
  return typeof query === "string" || typeof query === "number" || typeof query === "boolean" ? String(query) : "";
}

const executionMode: SpecRule = {
  id: "cypher-execution-mode",
  code: "GL_SPEC_EXECUTION_MODE",
  upstream: "CYPH-002",
  check: (spec) =>
    cypherActions(spec)
      // Left out, it is a transaction.
      .filter(({ raw }) => "execution_mode" in raw && !(typeof raw.execution_mode === "string" && ["TRANSACTION", "AUTOCOMMIT"].includes(raw.execution_mode.toUpperCase())))
      .map((action) => ({ path: `${action.path}.execution_mode`, message: `must be transaction or autocommit, not ${JSON.stringify(action.raw.execution_mode)}` })),
};

// ---- Graph types: with `config.enable_graph_type: true`, a specification must describe a graph type.

const graphTypeEnabled = (spec: SpecView): boolean => spec.config.enable_graph_type === true;

const graphTypeActions: SpecRule = {
  id: "graph-type-no-actions",
  code: "GL_SPEC_GRAPH_TYPE",
  upstream: "GTNA-001",
  check: (spec) =>
    graphTypeEnabled(spec) && spec.actions.length > 0 ? [{ path: "$.actions", message: "with enable_graph_type, actions are not allowed: a graph type cannot describe them" }] : [],
};

const graphTypeQueries: SpecRule = {
  id: "graph-type-no-query-targets",
  code: "GL_SPEC_GRAPH_TYPE",
  upstream: "GTNQ-001",
  check: (spec) =>
    graphTypeEnabled(spec) && spec.queries.length > 0
      ? [{ path: "$.targets.queries", message: "with enable_graph_type, query targets are not allowed: a graph type cannot describe what a query writes" }]
      : [],
};

const graphTypePrimaryLabel: SpecRule = {
  id: "graph-type-primary-label-once",
  code: "GL_SPEC_GRAPH_TYPE",
  upstream: "GTPL-001",
  check: (spec) => {
    if (!graphTypeEnabled(spec)) return [];
    const paths = new Map<string, string[]>();
    for (const node of spec.nodes) if (node.labels.length > 0) paths.set(node.labels[0], [...(paths.get(node.labels[0]) ?? []), `${node.path}.labels[0]`]);
    return [...paths]
      .filter(([, where]) => where.length > 1)
      .map(([label, where]) => ({
        path: where[0],
        message: `with enable_graph_type, "${label}" can be the first (primary) label of one node target only; it is also at ${where.slice(1).join(", ")}`,
      }));
  },
};

const graphTypeImpliedLabel: SpecRule = {
  id: "graph-type-primary-not-implied",
  code: "GL_SPEC_GRAPH_TYPE",
  upstream: "GTPL-002",
  requires: ["graph-type-primary-label-once"],
  check: (spec) => {
    if (!graphTypeEnabled(spec)) return [];
    const implied = new Map<string, string[]>();
    for (const node of spec.nodes) for (const label of new Set(node.labels.slice(1))) implied.set(label, [...(implied.get(label) ?? []), `${node.path}.labels`]);
    return spec.nodes
      .filter((node) => node.labels.length > 0 && implied.has(node.labels[0]))
      .map((node) => ({
        path: `${node.path}.labels`,
        message: `with enable_graph_type, the primary label "${node.labels[0]}" cannot also be a further label of another target (${implied.get(node.labels[0])!.join(", ")})`,
      }));
  },
};

const graphTypeRelationshipType: SpecRule = {
  id: "graph-type-relationship-type-once",
  code: "GL_SPEC_GRAPH_TYPE",
  upstream: "GTRT-001",
  check: (spec) => {
    if (!graphTypeEnabled(spec)) return [];
    const paths = new Map<string, string[]>();
    for (const relationship of spec.relationships) paths.set(relationship.type, [...(paths.get(relationship.type) ?? []), `${relationship.path}.type`]);
    return [...paths]
      .filter(([, where]) => where.length > 1)
      .map(([type, where]) => ({ path: where[0], message: `with enable_graph_type, the type "${type}" can be written by one relationship target only; it is also at ${where.slice(1).join(", ")}` }));
  },
};

/** Every rule, each after the rules it requires. */
export const SPEC_RULES: readonly SpecRule[] = [
  duplicateNames,
  unknownSource,
  unusedSource,
  unknownDependency,
  duplicateDependency,
  unknownNodeTarget,
  inactiveNodeTarget,
  redundantDependency,
  dependencyCycle,
  noActiveTarget,
  duplicateLabel,
  duplicateProperty,
  dimensionOnNonVector,
  ...labelRules,
  ...propertyRules,
  untypedInTypeConstraint,
  byteArrayInTypeConstraint,
  duplicateLabelInFullText,
  duplicateSchema,
  ...redundantSchema,
  duplicateSchemaName,
  unknownPropertyInKeyMapping,
  keylessNode,
  keyMappingNotKey,
  partialKeyMapping,
  ambiguousKeyMapping,
  blankQuery,
  executionMode,
  graphTypeActions,
  graphTypeQueries,
  graphTypePrimaryLabel,
  graphTypeImpliedLabel,
  graphTypeRelationshipType,
];

/** The rules a rule requires, directly or through others. */
function requirements(rule: SpecRule, byId: ReadonlyMap<string, SpecRule>): Set<string> {
  const found = new Set<string>();
  const pending = [...(rule.requires ?? [])];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    pending.push(...(byId.get(id)?.requires ?? []));
  }
  return found;
}

/** An issue with the id of the rule that found it. */
export interface RuleIssue {
  readonly path: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly rule: string;
}

export interface RuleResult {
  readonly errors: RuleIssue[];
  readonly warnings: RuleIssue[];
}

/** Runs the rules in order, skipping each rule one of whose requirements found a problem. */
export function runSpecRules(spec: SpecView, rules: readonly SpecRule[] = SPEC_RULES): RuleResult {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const failed = new Set<string>();
  const result: RuleResult = { errors: [], warnings: [] };
  for (const rule of rules) {
    if ([...requirements(rule, byId)].some((id) => failed.has(id))) continue;
    const findings = rule.check(spec);
    const issues = findings.map((finding) => ({ path: finding.path, code: rule.code, message: finding.message, rule: rule.id }));
    if (rule.severity === "warning") {
      result.warnings.push(...issues);
      continue;
    }
    if (issues.length > 0) failed.add(rule.id);
    result.errors.push(...issues);
  }
  return result;
}
