import neo4j, { type Driver } from "neo4j-driver";

/**
 * Which part of the graph a snapshot covers: labels with the property that identifies
 * their nodes, and relationship types (taken between nodes of those labels only).
 * Names are given without the suffix that keeps one load apart from another.
 */
export interface SnapshotSpec {
  readonly nodes: Readonly<Record<string, string>>;
  readonly relationships: readonly string[];
}

/** A property as stored: its value in a canonical text and the server's `valueType()`. */
export interface SnapshotValue {
  readonly value: string;
  readonly type: string;
}

/** Properties by name, in name order. */
export type Properties = Readonly<Record<string, SnapshotValue>>;

export interface SnapshotNode {
  /** All labels of the node, suffix removed, sorted. */
  readonly labels: readonly string[];
  readonly properties: Properties;
}

export interface LabelSnapshot {
  readonly count: number;
  /** By key (`iata="ABE"`); more than one node only where the key is not unique. */
  readonly nodes: Readonly<Record<string, readonly SnapshotNode[]>>;
}

export interface TypeSnapshot {
  readonly count: number;
  /**
   * By endpoints (`(Airport iata="ABE")->(Airport iata="ATL")`): the properties of each
   * relationship between them, in a fixed order, so that parallel relationships count.
   */
  readonly relationships: Readonly<Record<string, readonly Properties[]>>;
}

/** A comparable picture of part of a graph: equal snapshots mean equal graphs, types included. */
export interface GraphSnapshot {
  readonly nodes: Readonly<Record<string, LabelSnapshot>>;
  readonly relationships: Readonly<Record<string, TypeSnapshot>>;
}

type PropertyTriple = [name: string, value: unknown, type: string];

/**
 * Reads the nodes of `spec`'s labels and the relationships of its types as they are stored
 * under labels carrying `suffix` (`Airport_ref_1a2b` for `Airport`), and names them without it.
 * Labels and types are written into the statements, escaped: dynamic labels (`$(…)`) would
 * spare planning, but Neo4j 5.26 cannot scan a label index for them and reads every node of
 * the database instead, which the tests' shared database makes slow.
 */
const escape = (name: string): string => "`" + name.replaceAll("`", "``") + "`";

export async function readSnapshot(driver: Driver, spec: SnapshotSpec, suffix = ""): Promise<GraphSnapshot> {
  const stored = (label: string): string => `${label}${suffix}`;
  const unsuffixed = (label: string): string => (suffix && label.endsWith(suffix) ? label.slice(0, -suffix.length) : label);
  const read = async (cypher: string, params: Record<string, unknown>) =>
    (await driver.executeQuery(cypher, params, { routing: "READ" })).records.map((record) => record.toObject());

  const nodes: Record<string, LabelSnapshot> = {};
  for (const [label, key] of sortedEntries(spec.nodes)) {
    const rows = await read(
      `MATCH (n:${escape(stored(label))})
       RETURN n[$key] AS key, labels(n) AS labels, [k IN keys(n) | [k, n[k], valueType(n[k])]] AS properties`,
      { label: stored(label), key },
    );
    const byKey: Record<string, SnapshotNode[]> = {};
    for (const row of rows) {
      const node: SnapshotNode = {
        labels: (row.labels as string[]).map(unsuffixed).sort(),
        properties: propertyMap(row.properties as PropertyTriple[]),
      };
      (byKey[`${key}=${canonicalValue(row.key)}`] ??= []).push(node);
    }
    for (const list of Object.values(byKey)) list.sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b)));
    nodes[label] = { count: rows.length, nodes: sortedRecord(byKey) };
  }

  const keyOf = Object.fromEntries(Object.entries(spec.nodes).map(([label, key]) => [stored(label), key]));
  const labels = Object.keys(keyOf);
  const relationships: Record<string, TypeSnapshot> = {};
  for (const type of [...spec.relationships].sort(compareText)) {
    const rows = await read(
      `MATCH (a)-[r:${escape(type)}]->(b)
       WHERE (${labels.map((label) => `a:${escape(label)}`).join(" OR ")}) AND (${labels.map((label) => `b:${escape(label)}`).join(" OR ")})
       WITH a, r, b, [l IN labels(a) WHERE l IN $labels][0] AS aLabel, [l IN labels(b) WHERE l IN $labels][0] AS bLabel
       RETURN aLabel, a[$keyOf[aLabel]] AS aKey, bLabel, b[$keyOf[bLabel]] AS bKey,
              [k IN keys(r) | [k, r[k], valueType(r[k])]] AS properties`,
      { labels, keyOf, type },
    );
    const byEndpoints: Record<string, Properties[]> = {};
    for (const row of rows) {
      const end = (label: string, value: unknown) => `(${unsuffixed(label)} ${keyOf[label]}=${canonicalValue(value)})`;
      const endpoints = `${end(row.aLabel as string, row.aKey)}->${end(row.bLabel as string, row.bKey)}`;
      (byEndpoints[endpoints] ??= []).push(propertyMap(row.properties as PropertyTriple[]));
    }
    for (const list of Object.values(byEndpoints)) list.sort((a, b) => compareText(propertiesText(a), propertiesText(b)));
    relationships[type] = { count: rows.length, relationships: sortedRecord(byEndpoints) };
  }
  return { nodes, relationships };
}

export interface DiffOptions {
  /** What to call the two sides in the lines, default `["left", "right"]`. */
  readonly names?: readonly [string, string];
  /** Lines given at most; one more says how many were left out. Default 20. */
  readonly limit?: number;
}

/** One difference; those of one kind (same label or type, property and value types) share a line. */
interface Finding {
  readonly kind: string;
  readonly text: string;
  /** The node or relationship, as a line standing for several of a kind names the others. */
  readonly where: string;
}

/**
 * The differences between two snapshots, in readable lines: counts first, then nodes
 * (missing, labels, properties with values and types), then relationships. Differences of
 * one kind (say, one property unset on 507 nodes) share a line, which gives the first in
 * full and names a few more. Empty when the snapshots are equal.
 */
export function diffSnapshots(left: GraphSnapshot, right: GraphSnapshot, options: DiffOptions = {}): string[] {
  const [l, r] = options.names ?? ["left", "right"];
  const limit = options.limit ?? 20;
  const counts: string[] = [];
  const findings: Finding[] = [];
  const compareProperties = (owner: string, where: string, a: Properties, b: Properties) => {
    for (const name of union(a, b)) {
      const x = a[name];
      const y = b[name];
      if (x && y && x.value === y.value && x.type === y.type) continue;
      findings.push({
        kind: `${owner}.${name} ${x?.type ?? "unset"} ${y?.type ?? "unset"}`,
        text: `${where}.${name}: ${l} ${valueText(x)}, ${r} ${valueText(y)}`,
        where,
      });
    }
  };

  for (const label of union(left.nodes, right.nodes)) {
    const a = left.nodes[label];
    const b = right.nodes[label];
    if (!a || !b) {
      counts.push(`label ${label}: only in ${a ? l : r}`);
      continue;
    }
    if (a.count !== b.count) counts.push(`${label}: ${a.count} nodes in ${l}, ${b.count} in ${r}`);
    for (const key of union(a.nodes, b.nodes)) {
      const where = `${label} ${key}`;
      const x = a.nodes[key] ?? [];
      const y = b.nodes[key] ?? [];
      if (x.length === 1 && y.length === 1) {
        const [xl, yl] = [x[0].labels.join(":"), y[0].labels.join(":")];
        if (xl !== yl) findings.push({ kind: `${label} ${xl} ${yl}`, text: `${where}: labels ${xl} in ${l}, ${yl} in ${r}`, where });
        compareProperties(label, where, x[0].properties, y[0].properties);
      } else if (x.length !== y.length || JSON.stringify(x) !== JSON.stringify(y)) {
        const text =
          x.length === 0 || y.length === 0
            ? `only in ${x.length > 0 ? l : r}`
            : `${x.length} nodes in ${l} ${JSON.stringify(x)}, ${y.length} in ${r} ${JSON.stringify(y)}`;
        findings.push({ kind: `${label} ${x.length} ${y.length}`, text: `${where}: ${text}`, where });
      }
    }
  }

  for (const type of union(left.relationships, right.relationships)) {
    const a = left.relationships[type];
    const b = right.relationships[type];
    if (!a || !b) {
      counts.push(`type ${type}: only in ${a ? l : r}`);
      continue;
    }
    if (a.count !== b.count) counts.push(`${type}: ${a.count} relationships in ${l}, ${b.count} in ${r}`);
    for (const endpoints of union(a.relationships, b.relationships)) {
      const where = `${type} ${endpoints}`;
      const x = a.relationships[endpoints] ?? [];
      const y = b.relationships[endpoints] ?? [];
      if (x.length === 1 && y.length === 1) {
        compareProperties(type, where, x[0], y[0]);
      } else if (x.length !== y.length || x.some((properties, i) => propertiesText(properties) !== propertiesText(y[i]))) {
        const side = (list: readonly Properties[]) => (list.length === 0 ? "none" : list.map(propertiesText).join(", "));
        findings.push({ kind: `${type} ${x.length} ${y.length}`, text: `${where}: ${l} ${side(x)}; ${r} ${side(y)}`, where });
      }
    }
  }

  const kinds = new Map<string, Finding[]>();
  for (const finding of findings) {
    const same = kinds.get(finding.kind);
    if (same) same.push(finding);
    else kinds.set(finding.kind, [finding]);
  }
  const lines = [
    ...counts,
    ...[...kinds.values()].map(([first, ...more]) => {
      if (more.length === 0) return first.text;
      const named = more.slice(0, 3).map((finding) => finding.where);
      return `${first.text}; and ${more.length} more like it: ${named.join(", ")}${more.length > named.length ? ", …" : ""}`;
    }),
  ];
  return lines.length > limit ? [...lines.slice(0, limit), `… and ${lines.length - limit} more lines`] : lines;
}

const valueText = (value: SnapshotValue | undefined): string => (value ? `${value.value} :: ${value.type}` : "unset");

const propertiesText = (properties: Properties): string =>
  `{${Object.entries(properties)
    .map(([name, value]) => `${name}: ${valueText(value)}`)
    .join(", ")}}`;

function propertyMap(triples: readonly PropertyTriple[]): Record<string, SnapshotValue> {
  const sorted = [...triples].sort((a, b) => compareText(a[0], b[0]));
  return Object.fromEntries(sorted.map(([name, value, type]) => [name, { value: canonicalValue(value), type }]));
}

/**
 * One text per value such that different values never share it: strings quoted, floats
 * always with a point or exponent (`1.0`, never `1` like the INTEGER), temporal values in
 * ISO 8601, points with their SRID and coordinates.
 */
export function canonicalValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (neo4j.isInt(value)) return value.toString();
  if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(canonicalValue).join(", ")}]`;
  if (neo4j.isPoint(value)) {
    const z = value.z === undefined ? "" : `, z: ${canonicalValue(value.z)}`;
    return `point({srid: ${canonicalValue(value.srid)}, x: ${canonicalValue(value.x)}, y: ${canonicalValue(value.y)}${z}})`;
  }
  if (
    neo4j.isDate(value) ||
    neo4j.isDateTime(value) ||
    neo4j.isLocalDateTime(value) ||
    neo4j.isTime(value) ||
    neo4j.isLocalTime(value) ||
    neo4j.isDuration(value)
  ) {
    return String(value);
  }
  if (value instanceof Int8Array || value instanceof Uint8Array) return `0x${Buffer.from(value).toString("hex")}`;
  return JSON.stringify(value);
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareText);
}

function sortedEntries<T>(record: Readonly<Record<string, T>>): Array<[string, T]> {
  return Object.entries(record).sort(([a], [b]) => compareText(a, b));
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(sortedEntries(record));
}

/** Code-unit order: unlike localeCompare, the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
