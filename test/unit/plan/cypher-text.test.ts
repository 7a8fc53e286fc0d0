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
const wrap = (...lines: string[]) =>
  ["UNWIND range(0, size($rows) - 1) AS i", "WITH i, $rows[i] AS row", "CALL (row) {", ...lines.map((line) => `  ${line}`), "}", "WITH i, matched WHERE matched = 0", "RETURN i AS unmatched"].join("\n");

describe("Cypher generation", () => {
  it("escapes identifiers so that no name can end the quoting", () => {
    expect(escapeIdentifier("Person")).toBe("`Person`");
    expect(escapeIdentifier("a`b")).toBe("`a``b`");
    expect(escapeIdentifier("x`}) DETACH DELETE n //")).toBe("`x``}) DETACH DELETE n //`");
  });

  it("merges or creates nodes on their key", () => {
    expect(nodeCypher(node(), "merge")).toBe(
      "UNWIND $rows AS row\nMERGE (n:`Person`:`Big Cat` {`id`: row[0], `org`: row[1]})\nSET n.`name` = coalesce(row[2], n.`name`)",
    );
    expect(nodeCypher(node(), "create")).toBe("UNWIND $rows AS row\nCREATE (n:`Person`:`Big Cat` {`id`: row[0], `org`: row[1], `name`: row[2]})");
    expect(nodeCypher(node({ properties: [] }), "merge")).toBe("UNWIND $rows AS row\nMERGE (n:`Person`:`Big Cat` {`id`: row[0], `org`: row[1]})");
  });

  it("sets onCreate only when a merge creates, labels from columns and other columns after the properties", () => {
    const target = node({ labels: ["Airport"], key: [field("iata")], properties: [field("name")], onCreate: [field("firstSeen")], allColumns: { exclude: [] } });
    expect(nodeCypher(target, "merge", ["Large"])).toBe(
      [
        "UNWIND $rows AS row",
        "MERGE (n:`Airport` {`iata`: row[0]})",
        "ON CREATE SET n.`firstSeen` = row[2]",
        "SET n.`name` = coalesce(row[1], n.`name`)",
        "SET n:`Large`",
        "SET n += row[3]",
      ].join("\n"),
    );
    expect(nodeCypher(target, "create", ["Large"])).toBe(
      "UNWIND $rows AS row\nCREATE (n:`Airport`:`Large` {`iata`: row[0], `name`: row[1], `firstSeen`: row[2]})\nSET n += row[3]",
    );
  });

  it("matches relationship endpoints and returns the rows that found none", () => {
    expect(relationshipCypher(relationship(), "merge")).toBe(
      wrap(
        "MATCH (a:`Person` {`id`: row[0]})",
        "MATCH (b:`Company` {`id`: row[1], `country`: row[2]})",
        "MERGE (a)-[r:`KNOWS`]->(b)",
        "SET r.`since` = coalesce(row[3], r.`since`)",
        "RETURN count(*) AS matched",
      ),
    );
    expect(relationshipCypher(relationship(), "create")).toContain("CREATE (a)-[r:`KNOWS` {`since`: row[3]}]->(b)");
    expect(relationshipCypher(relationship({ properties: [] }), "create")).toContain("CREATE (a)-[r:`KNOWS`]->(b)");
  });

  it("merges a relationship on its key, with onCreate and other columns", () => {
    const target = relationship({ key: [field("seq")], properties: [field("route")], onCreate: [field("first")], allColumns: { exclude: [] } });
    expect(relationshipCypher(target, "merge")).toBe(
      wrap(
        "MATCH (a:`Person` {`id`: row[0]})",
        "MATCH (b:`Company` {`id`: row[1], `country`: row[2]})",
        "MERGE (a)-[r:`KNOWS` {`seq`: row[3]}]->(b)",
        "ON CREATE SET r.`first` = row[5]",
        "SET r.`route` = coalesce(row[4], r.`route`)",
        "SET r += row[6]",
        "RETURN count(*) AS matched",
      ),
    );
    expect(relationshipCypher(target, "create")).toContain("CREATE (a)-[r:`KNOWS` {`seq`: row[3], `route`: row[4], `first`: row[5]}]->(b)\n  SET r += row[6]");
  });

  it("matches the endpoints that must exist before it merges the others, so a missing one creates nothing", () => {
    const target = relationship({
      from: endpoint("Person", ["id"], { merge: true, onCreate: [field("since")] }),
      to: endpoint("Company", ["id"]),
      properties: [],
    });
    expect(relationshipCypher(target, "merge")).toBe(
      wrap(
        "MATCH (b:`Company` {`id`: row[1]})",
        "MERGE (a:`Person` {`id`: row[0]})",
        "ON CREATE SET a.`since` = row[2]",
        "MERGE (a)-[r:`KNOWS`]->(b)",
        "RETURN count(*) AS matched",
      ),
    );
    const both = relationship({ from: endpoint("Person", ["id"], { merge: true }), to: endpoint("Company", ["id"], { merge: true, onCreate: [field("name")] }), properties: [] });
    expect(relationshipCypher(both, "create")).toBe(
      wrap("MERGE (a:`Person` {`id`: row[0]})", "MERGE (b:`Company` {`id`: row[1]})", "ON CREATE SET b.`name` = row[2]", "CREATE (a)-[r:`KNOWS`]->(b)", "RETURN count(*) AS matched"),
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
