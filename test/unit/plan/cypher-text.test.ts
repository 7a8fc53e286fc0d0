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
    expect(nodeCypher(target, "merge")).toBe("UNWIND $rows AS row\nMERGE (n:`Person`:`Big Cat` {`id`: row.k[0], `org`: row.k[1]})\nSET n += row.p");
    expect(nodeCypher({ ...target, properties: [] }, "create")).toBe("UNWIND $rows AS row\nCREATE (n:`Person`:`Big Cat` {`id`: row.k[0], `org`: row.k[1]})");
  });

  it("matches relationship endpoints and returns the rows that found none", () => {
    const target = {
      kind: "relationship" as const,
      type: "KNOWS",
      from: { label: "Person", key: [field("id")] },
      to: { label: "Person", key: [field("id")] },
      properties: [field("since")],
    };
    expect(relationshipCypher(target, "merge")).toBe(
      [
        "UNWIND $rows AS row",
        "CALL {",
        "  WITH row",
        "  MATCH (a:`Person` {`id`: row.f[0]})",
        "  MATCH (b:`Person` {`id`: row.t[0]})",
        "  MERGE (a)-[r:`KNOWS`]->(b)",
        "  SET r += row.p",
        "  RETURN count(*) AS matched",
        "}",
        "WITH row, matched WHERE matched = 0",
        "RETURN row.i AS unmatched",
      ].join("\n"),
    );
    expect(relationshipCypher(target, "create")).toContain("CREATE (a)-[r:`KNOWS`]->(b)");
  });

  it("puts the user's Cypher after the UNWIND", () => {
    expect(userCypher("  MERGE (n:X {id: row.id})\n")).toBe("UNWIND $rows AS row\nMERGE (n:X {id: row.id})");
  });
});
