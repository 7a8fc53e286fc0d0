import { Date as Neo4jDate, int } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import type { WhereCondition } from "../../../src/model/pipeline.js";
import { compileWhere, type ValueKind } from "../../../src/plan/where-predicate.js";
import { whereText } from "../../../src/plan/where-text.js";

const test = (condition: WhereCondition, kind: ValueKind = "text", nullValues = [""]) => compileWhere(condition, { kind, nullValues });

describe("where", () => {
  it("compares CSV cells as text with the pipeline's values", () => {
    const equalsOne = test({ kind: "equals", column: "n", value: 1 });
    expect(equalsOne({ n: "1" })).toBe(true);
    expect(equalsOne({ n: "01" })).toBe(false);
    expect(test({ kind: "equals", column: "b", value: true })({ b: "true" })).toBe(true);
    const roles = test({ kind: "in", column: "role", values: ["PS", "SS"] });
    expect([{ role: "PS" }, { role: "SS" }, { role: "C" }, { role: "" }, {}].map(roles)).toEqual([true, true, false, false, false]);
  });

  it("compares JSON values by JSON equality", () => {
    const equalsOne = test({ kind: "equals", column: "n", value: 1 }, "json");
    expect(equalsOne({ n: 1 })).toBe(true);
    expect(equalsOne({ n: 1.0 })).toBe(true);
    expect(equalsOne({ n: "1" })).toBe(false);
    expect(equalsOne({ n: [1] })).toBe(false);
    expect(test({ kind: "in", column: "ok", values: [true] }, "json")({ ok: true })).toBe(true);
  });

  it("compares database values in their JSON form", () => {
    expect(test({ kind: "equals", column: "n", value: 7 }, "typed")({ n: int(7) })).toBe(true);
    expect(test({ kind: "equals", column: "d", value: "2024-02-29" }, "typed")({ d: new Neo4jDate(2024, 2, 29) })).toBe(true);
    // nullValues are for text: an empty string from a database is a value.
    expect(test({ kind: "isNull", column: "s", value: true }, "typed")({ s: "" })).toBe(false);
  });

  it("reads null after nullValues, and a null equals nothing and is in no list", () => {
    const isNull = test({ kind: "isNull", column: "x", value: true }, "text", ["", "NULL"]);
    expect([{ x: "" }, { x: "NULL" }, {}, { x: "a" }].map(isNull)).toEqual([true, true, true, false]);
    expect(test({ kind: "isNull", column: "x", value: false })({ x: "a" })).toBe(true);
    expect(test({ kind: "equals", column: "x", value: "" })({ x: "" })).toBe(false);
    expect(test({ kind: "notIn", column: "x", values: ["a"] })({ x: "" })).toBe(true);
    expect(test({ kind: "notIn", column: "x", values: ["a"] })({ x: "a" })).toBe(false);
    expect(test({ kind: "isNull", column: "x", value: true }, "json")({ x: null })).toBe(true);
  });

  it("matches a whole value against a regular expression", () => {
    const code = test({ kind: "matches", column: "c", pattern: "[A-Z]{3}|X" });
    expect([{ c: "TXL" }, { c: "TXLX" }, { c: "X" }, { c: "aTXL" }, { c: "" }].map(code)).toEqual([true, false, true, false, false]);
    expect(test({ kind: "matches", column: "n", pattern: "\\d+" }, "json")({ n: 42 })).toBe(true);
  });

  it("combines conditions with all, any and not", () => {
    const condition: WhereCondition = {
      kind: "all",
      conditions: [
        { kind: "any", conditions: [{ kind: "equals", column: "a", value: "x" }, { kind: "equals", column: "b", value: "y" }] },
        { kind: "not", condition: { kind: "isNull", column: "c", value: true } },
      ],
    };
    const holds = test(condition);
    expect(holds({ a: "x", c: "1" })).toBe(true);
    expect(holds({ b: "y", c: "1" })).toBe(true);
    expect(holds({ a: "x", c: "" })).toBe(false);
    expect(holds({ a: "z", b: "z", c: "1" })).toBe(false);
    expect(whereText(condition)).toBe('((a = "x") or (b = "y")) and (not (c is null))');
  });
});
