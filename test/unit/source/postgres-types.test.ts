import { int, isDate, isDateTime, isLocalDateTime } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { postgresParser } from "../../../src/source/postgres-types.js";

describe("PostgreSQL types", () => {
  it("maps integers, floats, booleans and text by type OID", () => {
    expect(postgresParser(20, "float")("9007199254740993")).toEqual(int("9007199254740993"));
    expect(postgresParser(21, "float")("-7")).toEqual(int(-7));
    expect(postgresParser(1700, "float")("12.345")).toBe(12.345);
    expect(postgresParser(701, "float")("18")).toBe(18);
    expect(postgresParser(16, "float")("t")).toBe(true);
    expect(postgresParser(16, "float")("f")).toBe(false);
    expect(postgresParser(3802, "float")('{"k": [1, 2]}')).toBe('{"k": [1, 2]}');
    expect(postgresParser(2950, "float")("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")).toBe("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  });

  it('gives numeric its exact text with decimal: "string", in arrays too', () => {
    expect(postgresParser(1700, "string")("12345678901234567890.123")).toBe("12345678901234567890.123");
    expect(postgresParser(1231, "string")("{1.50,-0.001}")).toEqual(["1.50", "-0.001"]);
    expect(postgresParser(701, "string")("18")).toBe(18);
  });

  it("maps dates and timestamps to Neo4j's temporal types", () => {
    const day = postgresParser(1082, "float")("1996-07-04");
    expect(isDate(day) && day.toString()).toBe("1996-07-04");
    const stamp = postgresParser(1114, "float")("1996-07-04 10:15:30.25");
    expect(isLocalDateTime(stamp) && stamp.toString()).toBe("1996-07-04T10:15:30.250000000");
    const zoned = postgresParser(1184, "float")("1996-07-04 10:15:30+02");
    expect(isDateTime(zoned) && zoned.toString()).toBe("1996-07-04T10:15:30+02:00");
    expect(String(postgresParser(1184, "float")("1996-07-04 10:15:30+05:30"))).toBe("1996-07-04T10:15:30+05:30");
  });

  it("maps arrays to lists of their element type, quoting and NULLs understood", () => {
    expect(postgresParser(1007, "float")("{1,2,3}")).toEqual([int(1), int(2), int(3)]);
    expect(postgresParser(1009, "float")('{"a b",c,NULL}')).toEqual(["a b", "c", null]);
    expect(postgresParser(1000, "float")("{t,f}")).toEqual([true, false]);
  });
});
