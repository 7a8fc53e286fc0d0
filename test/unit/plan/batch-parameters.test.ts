import { describe, expect, it } from "vitest";
import { batchParameters, joinParameters, parameterRows, ROWS, TEXT_SEPARATOR } from "../../../src/plan/batch-parameters.js";

const columns = { kind: "columns" as const, text: [1, 2] };

describe("batch parameters", () => {
  it("sends cypher tasks' rows as they are", () => {
    const rows = [{ a: 1 }, { a: 2 }];
    expect(batchParameters(ROWS, rows)).toEqual({ rows });
  });

  it("sends one list per position, and a text position whose values are all plain strings as one string", () => {
    const rows = [
      [1, "Ada", "1815-12-10"],
      [2, "", "1906-12-09"],
    ];
    expect(batchParameters(columns, rows)).toEqual({ c0: [1, 2], c1: null, t1: "Ada\u001f", c2: null, t2: "1815-12-10\u001f1906-12-09" });
  });

  it("keeps a text position as a list when a value is null, is not a string, or holds the separator", () => {
    const rows = [
      [1, null, 3],
      [2, "Grace", `a${TEXT_SEPARATOR}b`],
    ];
    expect(batchParameters(columns, rows)).toEqual({ c0: [1, 2], c1: [null, "Grace"], t1: null, c2: [3, `a${TEXT_SEPARATOR}b`], t2: null });
  });

  it("keeps a text position as a list when its values together would make too long a string", () => {
    const large = "x".repeat(2 ** 20);
    const rows = Array.from({ length: 17 }, (_, i) => [i, large, "a"]);
    const parameters = batchParameters(columns, rows);
    expect([parameters.t1, (parameters.c1 as string[]).length, parameters.t2]).toEqual([null, 17, "a\u001f".repeat(16) + "a"]);
  });

  it("sends a one-row batch's empty string as one string: split gives it back as one value", () => {
    expect(batchParameters({ kind: "columns", text: [0] }, [[""]])).toEqual({ c0: null, t0: "" });
  });

  it("reads the rows back from the parameters, whichever way each position went", () => {
    const rows = [
      [1, "Ada", null, ["x"]],
      [2, "", `a${TEXT_SEPARATOR}b`, []],
      [3, "Grace", "c", null],
    ];
    const shape = { kind: "columns" as const, text: [1, 2] };
    const parameters = batchParameters(shape, rows);
    expect([parameters.t1, parameters.t2]).toEqual(["Ada\u001f\u001fGrace", null]);
    expect(parameterRows(shape, parameters)).toEqual(rows);
    expect(parameterRows(ROWS, batchParameters(ROWS, [{ a: 1 }]))).toEqual([{ a: 1 }]);
  });

  it("joins parts' parameters into those of all their rows at once", () => {
    const shape = { kind: "columns" as const, text: [1, 2] };
    const parts = [
      [
        [1, "Ada", "x"],
        [2, "", "y"],
      ],
      [[3, "Grace", null]],
      [[4, "Edsger", `z${TEXT_SEPARATOR}`]],
    ];
    const all = parts.flat();
    expect(joinParameters(shape, parts.map((rows) => batchParameters(shape, rows)))).toEqual(batchParameters(shape, all));
    expect(joinParameters(shape, parts.slice(0, 1).map((rows) => batchParameters(shape, rows)))).toEqual(batchParameters(shape, parts[0]));
    expect(joinParameters(ROWS, [batchParameters(ROWS, [{ a: 1 }]), batchParameters(ROWS, [{ a: 2 }])])).toEqual({ rows: [{ a: 1 }, { a: 2 }] });
  });
});
