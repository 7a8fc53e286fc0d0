import { describe, expect, it } from "vitest";
import { escapeIdentifier, nodeCypher, relationshipCypher, userCypher } from "../../../src/plan/cypher-text.js";

const field = (property: string) => ({ property, column: property, arrayDelimiter: ";" });

describe("Cypher generation", () => {
  it("escapes identifiers so that no name can end the quoting", () => {
    expect(escapeIdentifier("Person")).toBe("`Person`");
    expect(escapeIdentifier("a`b")).toBe("`a``b`");
    expect(escapeIdentifier("x`}) DETACH DELETE n //")).toBe("`x``}) DETACH DELETE n //`");
  });

  it("merges or creates nodes on their key", () => {
    const target = { kind: "node" as const, labels: ["Person", "Big Cat"], key: [field("id"), field("org")], properties: [field("name")] };
    expect(nodeCypher(target, "merge")).toBe(
      "UNWIND $rows AS row\nMERGE (n:`Person`:`Big Cat` {`id`: row[0], `org`: row[1]})\nSET n.`name` = coalesce(row[2], n.`name`)",
    );
    expect(nodeCypher(target, "create")).toBe("UNWIND $rows AS row\nCREATE (n:`Person`:`Big Cat` {`id`: row[0], `org`: row[1], `name`: row[2]})");
    expect(nodeCypher({ ...target, properties: [] }, "merge")).toBe("UNWIND $rows AS row\nMERGE (n:`Person`:`Big Cat` {`id`: row[0], `org`: row[1]})");
  });

  it("matches relationship endpoints and returns the rows that found none", () => {
    const target = {
      kind: "relationship" as const,
      type: "KNOWS",
      from: { label: "Person", key: [field("id")] },
      to: { label: "Company", key: [field("id"), field("country")] },
      properties: [field("since")],
    };
    expect(relationshipCypher(target, "merge")).toBe(
      [
        "UNWIND range(0, size($rows) - 1) AS i",
        "WITH i, $rows[i] AS row",
        "CALL {",
        "  WITH row",
        "  MATCH (a:`Person` {`id`: row[0]})",
        "  MATCH (b:`Company` {`id`: row[1], `country`: row[2]})",
        "  MERGE (a)-[r:`KNOWS`]->(b)",
        "  SET r.`since` = coalesce(row[3], r.`since`)",
        "  RETURN count(*) AS matched",
        "}",
        "WITH i, matched WHERE matched = 0",
        "RETURN i AS unmatched",
      ].join("\n"),
    );
    expect(relationshipCypher(target, "create")).toContain("CREATE (a)-[r:`KNOWS` {`since`: row[3]}]->(b)");
    expect(relationshipCypher({ ...target, properties: [] }, "create")).toContain("CREATE (a)-[r:`KNOWS`]->(b)");
  });

  it("puts the user's Cypher after the UNWIND", () => {
    expect(userCypher("  MERGE (n:X {id: row.id})\n")).toBe("UNWIND $rows AS row\nMERGE (n:X {id: row.id})");
  });
});
