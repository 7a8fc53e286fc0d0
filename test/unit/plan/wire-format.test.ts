import { Date as Neo4jDate, int, isInt } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { nodeCypher } from "../../../src/plan/cypher-text.js";
import { wireFormat } from "../../../src/plan/wire-format.js";

describe("wire format", () => {
  it("sends safe integers as numbers for toInteger(), integers read as text as that text, and larger ones as they are", () => {
    const integer = wireFormat({ scalar: "integer", list: false });
    expect(integer.encode(int(42))).toBe(42);
    expect(integer.encode("42")).toBe("42");
    const big = int("9007199254740993");
    expect(isInt(integer.encode(big))).toBe(true);
    expect(integer.decode("$c0[i]")).toBe("toInteger($c0[i])");
  });

  it("sends dates as ISO text for date(), element by element in lists", () => {
    const dates = wireFormat({ scalar: "date", list: true });
    expect(dates.encode([new Neo4jDate(1815, 12, 10), new Neo4jDate(2024, 2, 29)])).toEqual(["1815-12-10", "2024-02-29"]);
    expect(dates.decode("$c2[i]")).toBe("[x IN $c2[i] | date(x)]");
  });

  it("leaves every other type as it is, and the generated Cypher decodes what it must", () => {
    const text = wireFormat({ scalar: "datetime", list: false });
    expect(text.decode("$c1[i]")).toBe("$c1[i]");
    const field = (property: string, scalar?: "integer" | "date" | "float") => ({ property, column: property, arrayDelimiter: ";", type: scalar && { scalar, list: false } });
    const target = { kind: "node" as const, labels: ["P"], labelColumns: [], key: [field("id", "integer")], properties: [field("born", "date"), field("score", "float")], onCreate: [] };
    expect(nodeCypher(target, "create")).toBe(
      "WITH coalesce(split($t0, '\\u001F'), $c0) AS c0, coalesce(split($t1, '\\u001F'), $c1) AS c1\nUNWIND range(0, size(c0) - 1) AS i\nCREATE (n:`P` {`id`: toInteger(c0[i]), `born`: date(c1[i]), `score`: $c2[i]})",
    );
  });

  it("says which values travel as text, or may: strings, untyped values, dates and integers", () => {
    const text = (type?: { scalar: "string" | "date" | "integer" | "float" | "datetime"; list: boolean }) => wireFormat(type).text;
    expect([text(), text({ scalar: "string", list: false }), text({ scalar: "date", list: false }), text({ scalar: "integer", list: false })]).toEqual([true, true, true, true]);
    expect([text({ scalar: "string", list: true }), text({ scalar: "date", list: true }), text({ scalar: "integer", list: true }), text({ scalar: "float", list: false }), text({ scalar: "datetime", list: false })]).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
