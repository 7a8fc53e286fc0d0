import { describe, expect, it } from "vitest";
import type { EndpointRef, NodeTarget, RelationshipTarget } from "../../../src/model/pipeline.js";
import { escapeIdentifier, nodeCypher, relationshipCypher, userCypher } from "../../../src/plan/cypher-text.js";

const field = (property: string) => ({ property, column: property, arrayDelimiter: ";" });
const node = (extra: Partial<NodeTarget> = {}): NodeTarget => ({
  kind: "node",
  labels: ["Person", "Big Cat"],
  labelColumns: [],
  key: [field("id"), field("org")],
  properties: [field("name")],
  onCreate: [],
  ...extra,
});
const endpoint = (label: string, key: string[], extra: Partial<EndpointRef> = {}): EndpointRef => ({ label, key: key.map(field), merge: false, onCreate: [], ...extra });
const relationship = (extra: Partial<RelationshipTarget> = {}): RelationshipTarget => ({
  kind: "relationship",
  type: "KNOWS",
  from: endpoint("Person", ["id"]),
  to: endpoint("Company", ["id", "country"]),
  key: [],
  properties: [field("since")],
  onCreate: [],
  ...extra,
});
/** The first lines of a statement whose first `count` values are text (untyped fields are). */
const each = (count: number): string[] => [
  `WITH ${Array.from({ length: count }, (_, p) => `coalesce(split($t${p}, '\\u001F'), $c${p}) AS c${p}`).join(", ")}`,
  "UNWIND range(0, size(c0) - 1) AS i",
];
const wrap = (count: number, ...lines: string[]) =>
  [
    ...each(count),
    `CALL (i, ${Array.from({ length: count }, (_, p) => `c${p}`).join(", ")}) {`,
    ...lines.map((line) => `  ${line}`),
    "}",
    "WITH i, matched WHERE matched = 0",
    "RETURN i AS unmatched",
  ].join("\n");

describe("Cypher generation", () => {
  it("escapes identifiers so that no name can end the quoting", () => {
    expect(escapeIdentifier("Person")).toBe("`Person`");
    expect(escapeIdentifier("a`b")).toBe("`a``b`");
    expect(escapeIdentifier("x`}) DETACH DELETE n //")).toBe("`x``}) DETACH DELETE n //`");
  });

  it("merges or creates nodes on their key", () => {
    expect(nodeCypher(node(), "merge")).toBe([...each(3), "MERGE (n:`Person`:`Big Cat` {`id`: c0[i], `org`: c1[i]})", "SET n.`name` = coalesce(c2[i], n.`name`)"].join("\n"));
    expect(nodeCypher(node(), "create")).toBe([...each(3), "CREATE (n:`Person`:`Big Cat` {`id`: c0[i], `org`: c1[i], `name`: c2[i]})"].join("\n"));
    expect(nodeCypher(node({ properties: [] }), "merge")).toBe([...each(2), "MERGE (n:`Person`:`Big Cat` {`id`: c0[i], `org`: c1[i]})"].join("\n"));
  });

  it("reads text values from lists split once per batch, other values from their parameters", () => {
    const typed = (property: string, scalar: "integer" | "float" | "date" | "string") => ({ ...field(property), type: { scalar, list: false } });
    const target = node({ key: [typed("id", "integer")], properties: [typed("score", "float"), typed("born", "date"), typed("name", "string")] });
    expect(nodeCypher(target, "create")).toBe(
      [
        "WITH coalesce(split($t0, '\\u001F'), $c0) AS c0, coalesce(split($t2, '\\u001F'), $c2) AS c2, coalesce(split($t3, '\\u001F'), $c3) AS c3",
        "UNWIND range(0, size(c0) - 1) AS i",
        "CREATE (n:`Person`:`Big Cat` {`id`: toInteger(c0[i]), `score`: $c1[i], `born`: date(c2[i]), `name`: c3[i]})",
      ].join("\n"),
    );
    expect(nodeCypher(node({ key: [typed("score", "float")], properties: [] }), "create")).toBe("UNWIND range(0, size($c0) - 1) AS i\nCREATE (n:`Person`:`Big Cat` {`score`: $c0[i]})");
  });

  it("sets onCreate only when a merge creates, labels from columns and other columns after the properties", () => {
    const target = node({ labels: ["Airport"], key: [field("iata")], properties: [field("name")], onCreate: [field("firstSeen")], allColumns: { exclude: [] } });
    expect(nodeCypher(target, "merge", ["Large"])).toBe(
      [...each(3), "MERGE (n:`Airport` {`iata`: c0[i]})", "ON CREATE SET n.`firstSeen` = c2[i]", "SET n.`name` = coalesce(c1[i], n.`name`)", "SET n:`Large`", "SET n += $c3[i]"].join("\n"),
    );
    expect(nodeCypher(target, "create", ["Large"])).toBe([...each(3), "CREATE (n:`Airport`:`Large` {`iata`: c0[i], `name`: c1[i], `firstSeen`: c2[i]})", "SET n += $c3[i]"].join("\n"));
  });

  it("matches relationship endpoints and returns the rows that found none", () => {
    expect(relationshipCypher(relationship(), "merge")).toBe(
      wrap(
        4,
        "MATCH (a:`Person` {`id`: c0[i]})",
        "MATCH (b:`Company` {`id`: c1[i], `country`: c2[i]})",
        "MERGE (a)-[r:`KNOWS`]->(b)",
        "SET r.`since` = coalesce(c3[i], r.`since`)",
        "RETURN count(*) AS matched",
      ),
    );
    expect(relationshipCypher(relationship(), "create")).toContain("CREATE (a)-[r:`KNOWS` {`since`: c3[i]}]->(b)");
    expect(relationshipCypher(relationship({ properties: [] }), "create")).toContain("CREATE (a)-[r:`KNOWS`]->(b)");
  });

  it("merges a relationship on its key, with onCreate and other columns", () => {
    const target = relationship({ key: [field("seq")], properties: [field("route")], onCreate: [field("first")], allColumns: { exclude: [] } });
    expect(relationshipCypher(target, "merge")).toBe(
      wrap(
        6,
        "MATCH (a:`Person` {`id`: c0[i]})",
        "MATCH (b:`Company` {`id`: c1[i], `country`: c2[i]})",
        "MERGE (a)-[r:`KNOWS` {`seq`: c3[i]}]->(b)",
        "ON CREATE SET r.`first` = c5[i]",
        "SET r.`route` = coalesce(c4[i], r.`route`)",
        "SET r += $c6[i]",
        "RETURN count(*) AS matched",
      ),
    );
    expect(relationshipCypher(target, "create")).toContain("CREATE (a)-[r:`KNOWS` {`seq`: c3[i], `route`: c4[i], `first`: c5[i]}]->(b)\n  SET r += $c6[i]");
  });

  it("matches the endpoints that must exist before it merges the others, so a missing one creates nothing", () => {
    const target = relationship({
      from: endpoint("Person", ["id"], { merge: true, onCreate: [field("since")] }),
      to: endpoint("Company", ["id"]),
      properties: [],
    });
    expect(relationshipCypher(target, "merge")).toBe(
      wrap(3, "MATCH (b:`Company` {`id`: c1[i]})", "MERGE (a:`Person` {`id`: c0[i]})", "ON CREATE SET a.`since` = c2[i]", "MERGE (a)-[r:`KNOWS`]->(b)", "RETURN count(*) AS matched"),
    );
    const both = relationship({ from: endpoint("Person", ["id"], { merge: true }), to: endpoint("Company", ["id"], { merge: true, onCreate: [field("name")] }), properties: [] });
    expect(relationshipCypher(both, "create")).toBe(
      wrap(3, "MERGE (a:`Person` {`id`: c0[i]})", "MERGE (b:`Company` {`id`: c1[i]})", "ON CREATE SET b.`name` = c2[i]", "CREATE (a)-[r:`KNOWS`]->(b)", "RETURN count(*) AS matched"),
    );
  });

  it("writes the type of the variant for a type taken from a column", () => {
    const target = relationship({ type: { column: "role" } });
    expect(relationshipCypher(target, "merge", "IS_PRIMARY_SUSPECT")).toContain("MERGE (a)-[r:`IS_PRIMARY_SUSPECT`]->(b)");
  });

  it("puts the user's Cypher after the UNWIND", () => {
    expect(userCypher("  MERGE (n:X {id: row.id})\n")).toBe("UNWIND $rows AS row\nMERGE (n:X {id: row.id})");
  });
});
