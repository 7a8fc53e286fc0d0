import type { SchemaElement, SchemaTree } from "hyparquet";
import { isInt } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { civilFromDays, decimalText, parquetColumns } from "../../../src/source/parquet-types.js";

const leaf = (element: Omit<SchemaElement, "name">, name = "c"): SchemaTree => ({ element: { name, ...element }, children: [], count: 1, path: [name] });
const schema = (...children: SchemaTree[]): SchemaTree => ({ element: { name: "schema", num_children: children.length }, children, count: children.length + 1, path: [] });
const convert = (tree: SchemaTree, value: unknown, decimal: "float" | "string" = "float"): unknown => {
  const [column] = parquetColumns(schema(tree), decimal);
  return column.convert ? column.convert(value) : value;
};
const text = (value: unknown): string => String(value);

describe("Parquet values as Neo4j's", () => {
  it("counts days from 1970 on the proleptic Gregorian calendar, before 1970 too", () => {
    expect(civilFromDays(0)).toEqual([1970, 1, 1]);
    expect(civilFromDays(-1)).toEqual([1969, 12, 31]);
    expect(civilFromDays(9_681)).toEqual([1996, 7, 4]);
    expect(civilFromDays(-719_162)).toEqual([1, 1, 1]);
    expect(civilFromDays(157_054)).toEqual([2400, 1, 1]);
    expect(civilFromDays(11_016)).toEqual([2000, 2, 29]);
  });

  it("writes a decimal's exact digits at its scale", () => {
    expect(decimalText(1234n, 2)).toBe("12.34");
    expect(decimalText(-5n, 3)).toBe("-0.005");
    expect(decimalText(1230n, 2)).toBe("12.30");
    expect(decimalText(0n, 2)).toBe("0.00");
    expect(decimalText(7n, 0)).toBe("7");
    expect(decimalText(7n, -2)).toBe("700");
    expect(decimalText(12345678901234567890123n, 4)).toBe("1234567890123456789.0123");
  });

  it("reads DECIMAL's three storages, as FLOAT or exact text, and takes the annotation off for hyparquet", () => {
    const bytes = leaf({ type: "FIXED_LEN_BYTE_ARRAY", type_length: 2, converted_type: "DECIMAL", scale: 2, precision: 4, logical_type: { type: "DECIMAL", scale: 2, precision: 4 } });
    expect(convert(bytes, new Uint8Array([0xff, 0x85]), "string")).toBe("-1.23");
    expect(bytes.element.converted_type).toBeUndefined();
    expect(bytes.element.logical_type).toBeUndefined();
    expect(convert(leaf({ type: "INT64", converted_type: "DECIMAL", scale: 3, precision: 18 }), 9_007_199_254_740_993n, "string")).toBe("9007199254740.993");
    expect(convert(leaf({ type: "INT32", converted_type: "DECIMAL", scale: 1, precision: 9 }), -15)).toBe(-1.5);
  });

  it("keeps 64-bit integers exact and refuses unsigned ones beyond Neo4j's range", () => {
    const int64 = leaf({ type: "INT64" });
    const big = convert(int64, 9_223_372_036_854_775_807n);
    expect(isInt(big) && text(big)).toBe("9223372036854775807");
    expect(isInt(convert(leaf({ type: "INT32" }), 7))).toBe(true);
    const unsigned = leaf({ type: "INT64", converted_type: "UINT_64" });
    expect(() => convert(unsigned, 2n ** 63n)).toThrow(/64-bit signed range/);
  });

  it("makes timestamps local or zoned at UTC by their annotation, to the nanosecond", () => {
    const local = leaf({ type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: false, unit: "NANOS" } });
    expect(text(convert(local, -1n))).toBe("1969-12-31T23:59:59.999999999");
    const zoned = leaf({ type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" } });
    expect(text(convert(zoned, 836_468_130_123_456n))).toBe("1996-07-04T08:15:30.123456000Z");
    // The legacy converted type alone means adjusted to UTC.
    expect(text(convert(leaf({ type: "INT64", converted_type: "TIMESTAMP_MILLIS" }), 0n))).toBe("1970-01-01T00:00:00Z");
    expect(text(convert(leaf({ type: "INT32", converted_type: "DATE" }), -1))).toBe("1969-12-31");
    expect(text(convert(leaf({ type: "INT64", logical_type: { type: "TIME", isAdjustedToUTC: false, unit: "MICROS" } }), 45_296_000_001n))).toBe("12:34:56.000001000");
  });

  it("converts a list's elements by the element's type, and passes strings, floats and structs as they are", () => {
    const element = leaf({ type: "INT32", converted_type: "DATE", repetition_type: "OPTIONAL" }, "element");
    const repeated: SchemaTree = { element: { name: "list", repetition_type: "REPEATED", num_children: 1 }, children: [element], count: 2, path: ["c", "list"] };
    const list: SchemaTree = { element: { name: "c", converted_type: "LIST", num_children: 1 }, children: [repeated], count: 3, path: ["c"] };
    const [column] = parquetColumns(schema(list), "float");
    expect(column.type).toBe("LIST<DATE>");
    expect((column.convert!([0, null, 1]) as unknown[]).map((item) => (item === null ? null : text(item)))).toEqual(["1970-01-01", null, "1970-01-02"]);
    expect(parquetColumns(schema(leaf({ type: "BYTE_ARRAY", logical_type: { type: "STRING" } }), leaf({ type: "DOUBLE" }, "d")), "float").map((c) => c.convert)).toEqual([undefined, undefined]);
  });
});

describe("the Parquet reader's loading", () => {
  it("is imported only when a Parquet file is opened: nothing under src/ imports hyparquet statically but its types", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const root = new URL("../../../src/", import.meta.url);
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
    const statics = files.flatMap((file) =>
      readFileSync(new URL(file, root), "utf8")
        .split("\n")
        .filter((line) => /^\s*(import|export)\b(?!\s+type\b).*\bfrom\s+["']hyparquet/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(statics).toEqual([]);
    expect(readFileSync(new URL("source/parquet-records.ts", root), "utf8")).toContain('import("hyparquet")');
  });
});
