import { describe, expect, it } from "vitest";
import { joinRecords, packRecords } from "../../../src/run/batch-records.js";
import type { SourceRecord } from "../../../src/source/source-record.js";

const record = (line: number, values: Record<string, unknown>, file?: string): SourceRecord => ({ kind: "record", line, values, ...(file ? { file } : {}) });

describe("a batch's packed records", () => {
  it("gives back text records of one file as they were read, by position", () => {
    const records = [record(2, { id: "1", name: "Ada", note: "" }, "a.csv"), record(5, { id: "2", name: "", note: "multi\nline, \u001f" }, "a.csv")];
    const packed = packRecords(records);
    expect(packed).not.toBe(records);
    expect(packed.length).toBe(2);
    expect([packed.at(0), packed.at(1), packed.at(2), packed.at(-1)]).toEqual([...records, undefined, undefined]);
    expect(Object.keys(packed.at(1)!.values)).toEqual(["id", "name", "note"]);
  });

  it("keeps records as they are when a value is not text, or the columns or files differ", () => {
    const cases: SourceRecord[][] = [
      [record(2, { id: "1" }), record(3, { id: 2 })],
      [record(2, { id: "1" }), record(3, { id: null })],
      [record(2, { id: "1", name: "a" }), record(3, { name: "b", id: "2" })],
      [record(2, { id: "1", name: "a" }), record(3, { id: "2" })],
      [record(2, { id: "1" }), record(3, { id: "2", name: "b" })],
      [record(2, { id: "1" }, "a.csv"), record(2, { id: "2" }, "b.csv")],
      [record(2, {})],
      [],
    ];
    for (const records of cases) expect(packRecords(records)).toBe(records);
  });

  it("reads joined parts by position across them", () => {
    const text = [record(2, { id: "1" }), record(3, { id: "2" })];
    const typed = [record(4, { id: 3 })];
    const joined = joinRecords([packRecords(text), packRecords(typed), packRecords([record(5, { id: "4" })])]);
    expect(joined.length).toBe(4);
    expect([0, 1, 2, 3, 4, -1].map((index) => joined.at(index)?.line)).toEqual([2, 3, 4, 5, undefined, undefined]);
    expect(joined.at(2)).toBe(typed[0]);
  });
});
