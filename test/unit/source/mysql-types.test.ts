import { int, isDate, isDateTime, isLocalDateTime, isLocalTime } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { mysqlRows, type MysqlColumn } from "../../../src/source/mysql-types.js";
import { UnreadableRow } from "../../../src/source/query-rows.js";

/** Column definitions as MariaDB 10.11 sends them (type, length, character set, flags). */
const column = (name: string, columnType: number, columnLength: number, characterSet = 63, flags = 0): MysqlColumn => ({ name, columnType, columnLength, characterSet, flags });
const read = (columns: MysqlColumn[], values: (string | Buffer | null)[], decimal: "float" | "string" = "float") =>
  mysqlRows(columns, decimal)(values.map((value) => (typeof value === "string" ? Buffer.from(value) : value)));

describe("MySQL types", () => {
  it("maps TINYINT(1) and BIT(1) to BOOLEAN, other integers to exact INTEGERs", () => {
    const row = read(
      [column("flag", 1, 1), column("tiny", 1, 4), column("big", 8, 20), column("ubig", 8, 20, 63, 32), column("year", 13, 4), column("bit1", 16, 1), column("bits", 16, 16)],
      ["1", "-5", "-9007199254740993", "9223372036854775807", "2024", Buffer.from([1]), Buffer.from([1, 2])],
    );
    expect(row).toEqual({ flag: true, tiny: int(-5), big: int("-9007199254740993"), ubig: int("9223372036854775807"), year: int(2024), bit1: true, bits: int(258) });
  });

  it("maps DECIMAL to FLOAT, or to its exact text with decimal: string; FLOAT and DOUBLE to FLOAT", () => {
    const columns = [column("d", 246, 12), column("f", 4, 12), column("g", 5, 22)];
    expect(read(columns, ["12345678901234567.125", "1.5", "-2e-7"])).toEqual({ d: 12345678901234567.125, f: 1.5, g: -2e-7 });
    expect(read(columns, ["12345678901234567.125", "1.5", "-2e-7"], "string")).toEqual({ d: "12345678901234567.125", f: 1.5, g: -2e-7 });
  });

  it("maps DATE, DATETIME, TIMESTAMP and TIME to DATE, LOCAL DATETIME, ZONED DATETIME at UTC and LOCAL TIME, fractions kept", () => {
    const row = read([column("d", 10, 10), column("dt", 12, 26), column("ts", 7, 26), column("t", 11, 15)], [
      "1996-02-29",
      "1996-07-04 10:15:30.250000",
      "1996-07-04 08:15:30.000001",
      "23:59:59.5",
    ]) as Record<string, unknown>;
    expect(isDate(row.d) && String(row.d)).toBe("1996-02-29");
    expect(isLocalDateTime(row.dt) && String(row.dt)).toBe("1996-07-04T10:15:30.250000000");
    expect(isDateTime(row.ts) && String(row.ts)).toBe("1996-07-04T08:15:30.000001000Z");
    expect(isLocalTime(row.t) && String(row.t)).toBe("23:59:59.500000000");
  });

  it("leaves MySQL's zero dates unset, and NULL", () => {
    expect(read([column("d", 10, 10), column("dt", 12, 19), column("ts", 7, 23), column("n", 3, 11)], ["0000-00-00", "0000-00-00 00:00:00", "0000-00-00 00:00:00.000", null])).toEqual({
      d: null,
      dt: null,
      ts: null,
      n: null,
    });
  });

  it("rejects the row, values as text, for a value Neo4j cannot hold", () => {
    const columns = [column("id", 3, 11), column("t", 11, 10), column("raw", 252, 65535)];
    const row = read(columns, ["7", "-25:00:00", Buffer.from([0xff])]);
    expect(row).toBeInstanceOf(UnreadableRow);
    expect(row).toMatchObject({ values: { id: "7", t: "-25:00:00", raw: "0xff" }, message: expect.stringMatching(/column t: TIME -25:00:00 is no time of day/) });
    for (const text of ["2021-02-29", "2020-00-15", "1996-07-04 10:15:30.1234567", "1996-07-04T10:15:30", "1996-7-4", "1996-07-04 10:15:3x"]) {
      expect(read([column("dt", 12, 26)], [text])).toBeInstanceOf(UnreadableRow);
    }
    expect(read([column("u", 8, 20, 63, 32)], ["18446744073709551615"])).toBeInstanceOf(UnreadableRow);
  });

  it("gives text and JSON as STRING (an empty one stays one), binary strings as byte arrays", () => {
    const row = read([column("s", 253, 40, 224), column("e", 253, 0, 224), column("j", 245, 0), column("b", 252, 65535)], ["é", "", '{"k": [1, 2]}', Buffer.from([0, 255])]);
    expect(row).toEqual({ s: "é", e: "", j: '{"k": [1, 2]}', b: new Int8Array([0, -1]) });
  });
});
