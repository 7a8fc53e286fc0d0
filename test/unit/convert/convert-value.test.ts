import { Date as DateValue, DateTime, Duration, int, LocalDateTime, LocalTime, Point, Time } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { compileConverter, convertValue } from "../../../src/convert/convert-value.js";
import { GraphloadError } from "../../../src/errors.js";
import type { FieldMapping, ScalarType } from "../../../src/model/pipeline.js";

type TypeName = ScalarType | `${ScalarType}[]`;

function field(type?: TypeName, extra: Partial<FieldMapping> = {}): FieldMapping {
  const typed = type ? { type: { scalar: type.replace("[]", "") as ScalarType, list: type.endsWith("[]") } } : {};
  return { property: "col", column: "col", arrayDelimiter: ";", ...typed, ...extra };
}

function convert(raw: unknown, type?: TypeName, extra: Partial<FieldMapping> = {}, nullValues: readonly string[] = [""]): unknown {
  return convertValue(raw, field(type, extra), nullValues);
}

function rejection(raw: unknown, type?: TypeName, extra: Partial<FieldMapping> = {}, nullValues: readonly string[] = [""]): GraphloadError {
  try {
    convert(raw, type, extra, nullValues);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphloadError);
    expect((error as GraphloadError).code).toBe("GL_BAD_VALUE");
    return error as GraphloadError;
  }
  throw new Error(`${JSON.stringify(raw)} converted to ${type}`);
}

function compileError(type: TypeName, format: string): GraphloadError {
  try {
    compileConverter(field(type, { format }), []);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphloadError);
    return error as GraphloadError;
  }
  throw new Error(`format ${format} compiled for ${type}`);
}

describe("null values", () => {
  it("reads missing values and the configured null values as null", () => {
    for (const type of [undefined, "string", "integer", "date", "string[]"] as const) {
      expect(convert(undefined, type)).toBeNull();
      expect(convert(null, type)).toBeNull();
      expect(convert("", type)).toBeNull();
      expect(convert("NULL", type, {}, ["NULL", "n/a"])).toBeNull();
      expect(convert("n/a", type, {}, ["NULL", "n/a"])).toBeNull();
    }
  });

  it("compares null values exactly, without trimming", () => {
    expect(convert(" NULL", "string", {}, ["NULL"])).toBe(" NULL");
    expect(convert("", "string", {}, [])).toBe("");
    expect(rejection("", "integer", {}, []).message).toBe('column "col": "" is not an integer');
  });
});

describe("values without a type", () => {
  it("pass as the source gave them, with whole JSON numbers as INTEGER", () => {
    expect(convert("007")).toBe("007");
    expect(convert(42)).toEqual(int(42));
    expect(convert(-0.5)).toBe(-0.5);
    expect(convert(true)).toBe(true);
    expect(convert([1, [2, 3.5], "x"])).toEqual([int(1), [int(2), 3.5], "x"]);
  });

  it("keep numbers beyond 2^53 as floats, since they are not exact", () => {
    expect(convert(2 ** 60)).toBe(2 ** 60);
  });

  it("refuse JSON maps, which are no property value", () => {
    expect(rejection({ city: "Berlin" }).message).toBe('column "col": {"city":"Berlin"} is not a property value (a map; give the field type "point" for a point)');
    rejection([1, { a: 1 }]);
  });
});

describe("string", () => {
  it("keeps text and writes JSON scalars as text", () => {
    expect(convert(" a b ", "string")).toBe(" a b ");
    expect(convert(12.5, "string")).toBe("12.5");
    expect(convert(false, "string")).toBe("false");
  });

  it("refuses lists and maps", () => {
    rejection(["a"], "string");
    rejection({ a: 1 }, "string");
  });
});

describe("integer", () => {
  it("reads decimal text and whole JSON numbers as INTEGER", () => {
    expect(convert("42", "integer")).toEqual(int(42));
    expect(convert(" -7 ", "integer")).toEqual(int(-7));
    expect(convert("+5", "integer")).toEqual(int(5));
    expect(convert("007", "integer")).toEqual(int(7));
    expect(convert(12, "integer")).toEqual(int(12));
  });

  it("is exact over the whole 64-bit range", () => {
    expect(String(convert("9223372036854775807", "integer"))).toBe("9223372036854775807");
    expect(String(convert("-9223372036854775808", "integer"))).toBe("-9223372036854775808");
    expect(String(convert("9007199254740993", "integer"))).toBe("9007199254740993");
    expect(rejection("9223372036854775808", "integer").message).toBe('column "col": "9223372036854775808" is not an integer (beyond the 64-bit range)');
    rejection("-9223372036854775809", "integer");
  });

  it.each(["1.0", "abc", "1e3", "-", "+", "1 000", "0x1F", "١٢"])("refuses %j", (text) => {
    expect(rejection(text, "integer").message).toBe(`column "col": ${JSON.stringify(text)} is not an integer`);
  });

  it("refuses fractional and inexact JSON numbers", () => {
    rejection(1.5, "integer");
    expect(rejection(2 ** 60, "integer").message).toContain("write it as a string");
    rejection(true, "integer");
  });
});

describe("float", () => {
  it.each([
    ["1.5", 1.5],
    ["-0.5", -0.5],
    ["1e5", 100000],
    ["2.5E-3", 0.0025],
    [".5", 0.5],
    ["5.", 5],
    [" 3 ", 3],
  ])("reads %j", (text, expected) => {
    expect(convert(text, "float")).toBe(expected);
  });

  it("keeps JSON numbers as they are, whole ones too", () => {
    expect(convert(3, "float")).toBe(3);
    expect(convert(0.25, "float")).toBe(0.25);
  });

  it.each(["abc", "1.2.3", "NaN", "Infinity", "-Infinity", "1e999", "1,5", "e5", "0x10"])("refuses %j", (text) => {
    expect(rejection(text, "float").message).toBe(`column "col": ${JSON.stringify(text)} is not a float`);
  });
});

describe("boolean", () => {
  it.each([
    ["true", true],
    ["FALSE", false],
    ["True", true],
    ["yes", true],
    ["No", false],
    ["y", true],
    ["N", false],
    ["t", true],
    ["f", false],
    ["1", true],
    ["0", false],
    [" true ", true],
    [true, true],
    [false, false],
    [1, true],
    [0, false],
  ] as const)("reads %j", (value, expected) => {
    expect(convert(value, "boolean")).toBe(expected);
  });

  it.each(["maybe", "2", "on", 2])("refuses %j", (value) => {
    expect(rejection(value, "boolean").message).toContain("(expected true/false, yes/no or 1/0)");
  });
});

describe("date", () => {
  it("reads ISO 8601 dates, leap days and extended years", () => {
    expect(convert("1996-07-04", "date")).toEqual(new DateValue(1996, 7, 4));
    expect(convert("2024-02-29", "date")).toEqual(new DateValue(2024, 2, 29));
    expect(convert("2000-02-29", "date")).toEqual(new DateValue(2000, 2, 29));
    expect(convert("+12345-01-31", "date")).toEqual(new DateValue(12345, 1, 31));
    expect(convert("-0044-03-15", "date")).toEqual(new DateValue(-44, 3, 15));
  });

  it.each(["2024-13-01", "2024-02-30", "2023-02-29", "1900-02-29", "2024-04-31", "2024-00-10", "2024-01-00"])("refuses the impossible %s", (text) => {
    expect(rejection(text, "date").message).toBe(`column "col": "${text}" is not a date (no such date)`);
  });

  it.each(["2024-1-01", "20240101", "1996-07-04T00:00", "04/07/1996", "1996-07-04Z"])("refuses %s, which is no ISO date", (text) => {
    expect(rejection(text, "date").message).toBe(`column "col": "${text}" is not a date (expected e.g. 1996-07-04)`);
  });
});

describe("datetime", () => {
  it("reads offsets, Z and zone ids, with nanosecond precision", () => {
    expect(convert("1996-07-04T12:30:15Z", "datetime")).toEqual(new DateTime(1996, 7, 4, 12, 30, 15, 0, 0));
    expect(convert("1996-07-04T12:30+02:00", "datetime")).toEqual(new DateTime(1996, 7, 4, 12, 30, 0, 0, 7200));
    expect(convert("1996-07-04T12:30-0530", "datetime")).toEqual(new DateTime(1996, 7, 4, 12, 30, 0, 0, -19800));
    expect(convert("1996-07-04T12:30+02", "datetime")).toEqual(new DateTime(1996, 7, 4, 12, 30, 0, 0, 7200));
    expect(convert("2024-03-31T02:30:00.000000001[Europe/Berlin]", "datetime")).toEqual(
      new DateTime(2024, 3, 31, 2, 30, 0, 1, undefined, "Europe/Berlin"),
    );
    expect(convert("2024-01-01T10:00:00.5+01:00[Europe/Paris]", "datetime")).toEqual(
      new DateTime(2024, 1, 1, 10, 0, 0, 500_000_000, 3600, "Europe/Paris"),
    );
  });

  it("takes a space for the T, as databases write it", () => {
    expect(convert("1996-07-04 00:00:00.000Z", "datetime")).toEqual(new DateTime(1996, 7, 4, 0, 0, 0, 0, 0));
  });

  it("refuses a value without offset or zone and points to localdatetime", () => {
    expect(rejection("1996-07-04T12:30", "datetime").message).toBe(
      'column "col": "1996-07-04T12:30" is not a datetime (no offset or time zone; a local date and time is type "localdatetime")',
    );
    rejection("1996-07-04", "datetime");
  });

  it("refuses unknown zones, impossible times and offsets", () => {
    expect(rejection("1996-07-04T12:30[Mars/Olympus]", "datetime").message).toContain('(unknown time zone "Mars/Olympus")');
    expect(rejection("1996-07-04T24:00Z", "datetime").message).toContain("(no such time of day)");
    expect(rejection("1996-07-04T12:60Z", "datetime").message).toContain("(no such time of day)");
    expect(rejection("1996-07-04T12:00:60Z", "datetime").message).toContain("(no such time of day)");
    expect(rejection("1996-07-04T12:00+19:00", "datetime").message).toContain("(offset beyond ±18:00)");
    expect(rejection("1996-02-30T12:00Z", "datetime").message).toContain("(no such date)");
    rejection("1996-07-04T12:00:00.1234567891Z", "datetime");
  });
});

describe("localdatetime", () => {
  it("reads date and time, with a T or a space, and a date alone as midnight", () => {
    expect(convert("1996-07-04T12:30:15.25", "localdatetime")).toEqual(new LocalDateTime(1996, 7, 4, 12, 30, 15, 250_000_000));
    expect(convert("1996-07-04 00:00:00.000", "localdatetime")).toEqual(new LocalDateTime(1996, 7, 4, 0, 0, 0, 0));
    expect(convert("1996-07-04", "localdatetime")).toEqual(new LocalDateTime(1996, 7, 4, 0, 0, 0, 0));
  });

  it("refuses an offset rather than drop it", () => {
    expect(rejection("1996-07-04T12:30Z", "localdatetime").message).toContain('(it has an offset or time zone; use type "datetime")');
    rejection("1996-07-04T12:30[Europe/Berlin]", "localdatetime");
  });
});

describe("time and localtime", () => {
  it("read times with and without offsets", () => {
    expect(convert("12:30:00+02:00", "time")).toEqual(new Time(12, 30, 0, 0, 7200));
    expect(convert("23:59:59.999999999Z", "time")).toEqual(new Time(23, 59, 59, 999_999_999, 0));
    expect(convert("12:30", "localtime")).toEqual(new LocalTime(12, 30, 0, 0));
    expect(convert("00:00:01,5", "localtime")).toEqual(new LocalTime(0, 0, 1, 500_000_000));
  });

  it("refuse what the other type is for", () => {
    expect(rejection("12:30", "time").message).toContain('(no offset; a local time is type "localtime")');
    expect(rejection("12:30[Europe/Berlin]", "time").message).toContain("(a time takes an offset, not a time zone)");
    expect(rejection("12:30+01:00", "localtime").message).toContain('(it has an offset; use type "time")');
    expect(rejection("24:00", "localtime").message).toContain("(no such time of day)");
    expect(rejection("1230", "localtime").message).toContain("(expected e.g. 12:30:00)");
  });
});

describe("duration", () => {
  it.each([
    ["P1Y2M3W4DT5H6M7S", new Duration(14, 25, 5 * 3600 + 6 * 60 + 7, 0)],
    ["PT0.000000001S", new Duration(0, 0, 0, 1)],
    ["PT1.5H", new Duration(0, 0, 5400, 0)],
    ["PT-1.5S", new Duration(0, 0, -2, 500_000_000)],
    ["-P1DT2H", new Duration(0, -1, -7200, 0)],
    ["P1DT-2H", new Duration(0, 1, -7200, 0)],
    ["P-1Y+2M", new Duration(-10, 0, 0, 0)],
    ["P0D", new Duration(0, 0, 0, 0)],
    [" PT90M ", new Duration(0, 0, 5400, 0)],
  ])("reads %s", (text, expected) => {
    expect(convert(text, "duration")).toEqual(expected);
  });

  it.each(["P", "PT", "P1DT", "1D", "P1.5D", "PT1.1234567891S", "P1H", "PT1D", "P1S"])("refuses %s", (text) => {
    expect(rejection(text, "duration").message).toBe(`column "col": ${JSON.stringify(text.trim())} is not a duration (expected e.g. P1DT2H30M)`);
  });
});

describe("point", () => {
  it("reads cartesian and WGS-84 maps, 2D and 3D, as objects or JSON text", () => {
    expect(convert({ x: 1, y: 2 }, "point")).toEqual(new Point(int(7203), 1, 2));
    expect(convert('{"x": 1, "y": 2, "z": 3}', "point")).toEqual(new Point(int(9157), 1, 2, 3));
    expect(convert({ latitude: 52.5, longitude: 13.4 }, "point")).toEqual(new Point(int(4326), 13.4, 52.5));
    expect(convert('{"longitude": 13.4, "latitude": 52.5, "height": 34}', "point")).toEqual(new Point(int(4979), 13.4, 52.5, 34));
  });

  it("takes a crs or srid, and x/y as longitude/latitude in WGS-84", () => {
    expect(convert({ x: 13.4, y: 52.5, crs: "WGS-84" }, "point")).toEqual(new Point(int(4326), 13.4, 52.5));
    expect(convert({ x: 1, y: 2, z: 3, srid: 9157 }, "point")).toEqual(new Point(int(9157), 1, 2, 3));
    expect(convert({ latitude: 1, longitude: 2, height: 3, crs: "wgs-84-3d", srid: 4979 }, "point")).toEqual(new Point(int(4979), 2, 1, 3));
  });

  it.each([
    [{ x: 1 }, "a coordinate is missing"],
    [{ x: 1, y: "2" }, 'coordinate "2" is not a number'],
    [{ x: 1, latitude: 2 }, "x/y/z and latitude/longitude/height do not mix"],
    [{ x: 1, y: 2, w: 3 }, 'unknown key "w"'],
    [{ latitude: 91, longitude: 0 }, "longitude must lie within ±180 and latitude within ±90"],
    [{ x: 1, y: 2, crs: "mars" }, 'unknown crs "mars"'],
    [{ x: 1, y: 2, srid: 1234 }, "unknown srid 1234"],
    [{ x: 1, y: 2, srid: 4326, crs: "cartesian" }, "srid and crs disagree"],
    [{ latitude: 1, longitude: 2, crs: "cartesian" }, "latitude/longitude need a WGS-84 crs"],
    [{ x: 1, y: 2, crs: "cartesian-3d" }, "a 3D crs needs a third coordinate"],
    [{ x: 1, y: 2, z: 3, srid: 7203 }, "a third coordinate needs a 3D crs"],
    ["(1, 2)", 'expected a map, e.g. {"latitude": 52.5, "longitude": 13.4} or {x: 1, y: 2, crs: cartesian}'],
    ["[1, 2]", 'expected e.g. {"x": 1, "y": 2}'],
  ])("refuses %j", (value, reason) => {
    expect(rejection(value, "point").message).toContain(`is not a point (${reason})`);
  });
});

describe("temporal patterns", () => {
  it("reads Northwind's timestamps as dates and local date-times", () => {
    const format = "yyyy-MM-dd HH:mm:ss.SSS";
    expect(convert("1996-07-04 00:00:00.000", "date", { format })).toEqual(new DateValue(1996, 7, 4));
    expect(convert("1996-07-04 13:05:06.789", "localdatetime", { format })).toEqual(new LocalDateTime(1996, 7, 4, 13, 5, 6, 789_000_000));
  });

  it("reads day-first dates, month names, 12-hour clocks, offsets and zones", () => {
    expect(convert("4.7.96", "date", { format: "d.M.yy" })).toEqual(new DateValue(1996, 7, 4));
    expect(convert("Jul 5, 2012", "date", { format: "MMM dd, yyyy" })).toEqual(new DateValue(2012, 7, 5));
    expect(convert("4/7/1996", "date", { format: "dd/MM/yyyy" })).toEqual(new DateValue(1996, 7, 4));
    expect(convert("Thu, 4 Jul 1996 13:05:06 +0200", "datetime", { format: "EEE, d MMM yyyy HH:mm:ss Z" })).toEqual(
      new DateTime(1996, 7, 4, 13, 5, 6, 0, 7200),
    );
    expect(convert("04/07/1996", "date", { format: "dd/MM/yyyy" })).toEqual(new DateValue(1996, 7, 4));
    expect(convert("4 jul 1996", "date", { format: "d MMM yyyy" })).toEqual(new DateValue(1996, 7, 4));
    expect(convert("July 4, 1996", "date", { format: "MMMM d, yyyy" })).toEqual(new DateValue(1996, 7, 4));
    expect(convert("19960704", "date", { format: "yyyyMMdd" })).toEqual(new DateValue(1996, 7, 4));
    expect(convert("7/4/1996 12:05 AM", "localdatetime", { format: "M/d/yyyy h:mm a" })).toEqual(new LocalDateTime(1996, 7, 4, 0, 5, 0, 0));
    expect(convert("7/4/1996 1:05 pm", "localdatetime", { format: "M/d/yyyy h:mm a" })).toEqual(new LocalDateTime(1996, 7, 4, 13, 5, 0, 0));
    expect(convert("1996-07-04T12:30Z", "datetime", { format: "yyyy-MM-dd'T'HH:mmXXX" })).toEqual(new DateTime(1996, 7, 4, 12, 30, 0, 0, 0));
    expect(convert("1996-07-04 12:30 +0200", "datetime", { format: "yyyy-MM-dd HH:mm Z" })).toEqual(new DateTime(1996, 7, 4, 12, 30, 0, 0, 7200));
    expect(convert("1996-07-04 12:30 Europe/Berlin", "datetime", { format: "yyyy-MM-dd HH:mm VV" })).toEqual(
      new DateTime(1996, 7, 4, 12, 30, 0, 0, undefined, "Europe/Berlin"),
    );
    expect(convert("12h30 o'clock +01:00", "time", { format: "HH'h'mm 'o''clock' xxx" })).toEqual(new Time(12, 30, 0, 0, 3600));
    expect(convert("08:15:30.123456", "localtime", { format: "HH:mm:ss.SSSSSS" })).toEqual(new LocalTime(8, 15, 30, 123_456_000));
    expect(convert("08'15", "localtime", { format: "HH''mm" })).toEqual(new LocalTime(8, 15, 0, 0));
  });

  it("checks the calendar and says which format was expected", () => {
    expect(rejection("31/02/2024", "date", { format: "dd/MM/yyyy" }).message).toBe('column "col": "31/02/2024" is not a date (no such date)');
    expect(rejection("2024-02-01", "date", { format: "dd/MM/yyyy" }).message).toBe(
      'column "col": "2024-02-01" is not a date (expected the format "dd/MM/yyyy": "/" expected at "24-02-01")',
    );
    expect(rejection("13:00 PM", "localtime", { format: "h:mm a" }).message).toContain("(no such time of day: hour 13 on a 1–12 clock)");
    expect(rejection("04/07/1996 extra", "date", { format: "dd/MM/yyyy" }).message).toContain('" extra" is left over');
    expect(rejection("Mon, 4 Jul 1996", "date", { format: "EEE, d MMM yyyy" }).message).toContain("(1996-07-04 is a Thursday, not a Monday)");
    expect(rejection("13/05/2012", "date", { format: "M/d/yyyy" }).message).toContain("(no such date)");
  });

  it("names the property as well as the column where they differ", () => {
    const released = { property: "released", format: "MMM d, yyyy" };
    expect(rejection("Jly 5, 2012", "date", released)).toMatchObject({
      message: 'column "col" (property "released"): "Jly 5, 2012" is not a date (expected the format "MMM d, yyyy": an English month name expected at "Jly 5, 2012")',
      context: { column: "col", property: "released", type: "date" },
    });
    let error: unknown;
    try {
      compileConverter(field("date", { property: "released", format: "MMM d, yyyy QQ" }), []);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: "GL_INVALID_VALUE",
      message: 'column "col" (property "released"): format "MMM d, yyyy QQ": "QQ" is not supported',
      context: { column: "col", property: "released", format: "MMM d, yyyy QQ" },
    });
  });

  it("refuses, before reading any value, a pattern that cannot make the type", () => {
    expect(compileError("date", "HH:mm")).toMatchObject({
      code: "GL_INVALID_VALUE",
      message: 'column "col": format "HH:mm" cannot make a date: it needs a year, month and day',
    });
    expect(compileError("datetime", "yyyy-MM-dd HH:mm").message).toContain("an offset or zone");
    expect(compileError("time", "HH:mm").message).toContain("an hour and an offset");
    expect(compileError("localdatetime", "yyyy-MM-dd").message).toContain("a year, month, day and hour");
    expect(compileError("localtime", "mm:ss").message).toContain("an hour");
  });

  it("refuses patterns it cannot read", () => {
    expect(compileError("date", "yyyy-QQ-dd")).toMatchObject({ code: "GL_INVALID_VALUE", message: 'column "col": format "yyyy-QQ-dd": "QQ" is not supported' });
    expect(compileError("date", "yyyy-MM-dd 'T").message).toContain("a quote is not closed");
    expect(compileError("date", "yyyy-MM-dd 'it''s").message).toContain("a quote is not closed");
    expect(compileError("localtime", "hh:mm").message).toContain('"h" needs "a"');
    expect(compileError("date", "yyyy-MMMMM-dd").message).toContain('"MMMMM" (narrow month names) is not supported');
    expect(compileError("date", "yyyy-MM-ddd").message).toContain('"ddd" has too many letters');
    expect(compileError("date", "yyyy[-MM]-dd").message).toContain("optional sections");
    expect(compileError("localtime", "HH:mm:ss.SSSSSSSSSS").message).toContain("at most 9 S");
  });
});

describe("lists", () => {
  it("split a cell on the delimiter and convert each element", () => {
    expect(convert("1;2;-3", "integer[]")).toEqual([int(1), int(2), int(-3)]);
    expect(convert("1.5|2", "float[]", { arrayDelimiter: "|" })).toEqual([1.5, 2]);
    expect(convert("1996-07-04;2024-02-29", "date[]")).toEqual([new DateValue(1996, 7, 4), new DateValue(2024, 2, 29)]);
    expect(convert("04/07/1996;05/07/1996", "date[]", { format: "dd/MM/yyyy" })).toEqual([new DateValue(1996, 7, 4), new DateValue(1996, 7, 5)]);
  });

  it("keep string elements as written, spaces and empty ones included", () => {
    expect(convert("a; b ;;c", "string[]")).toEqual(["a", " b ", "", "c"]);
    expect(convert("1; 2", "integer[]")).toEqual([int(1), int(2)]);
  });

  it("read an empty or null cell as null, not an empty list", () => {
    expect(convert("", "string[]")).toBeNull();
    expect(convert("", "string[]", {}, [])).toBeNull();
    expect(convert("NULL", "integer[]", {}, ["NULL"])).toBeNull();
  });

  it("convert JSON arrays element by element", () => {
    expect(convert([1, "2"], "integer[]")).toEqual([int(1), int(2)]);
    expect(convert([], "string[]")).toEqual([]);
    expect(convert(['{"x": 1, "y": 2}', { x: 3, y: 4 }], "point[]")).toEqual([new Point(int(7203), 1, 2), new Point(int(7203), 3, 4)]);
  });

  it("name the element and the cell that failed", () => {
    expect(rejection("1;x;3", "integer[]").message).toBe('column "col": "x" in "1;x;3" is not an integer');
    expect(rejection("1;;3", "integer[]").message).toBe('column "col": "" in "1;;3" is not an integer');
    expect(rejection([1, null], "integer[]").message).toBe('column "col": null in [1,null] is not an integer (a list cannot hold null)');
    expect(rejection(5, "integer[]").message).toBe('column "col": 5 is not a list (integer[])');
  });
});

describe("errors", () => {
  it("carry GL_BAD_VALUE, the column, the value cut to 60 characters and the type", () => {
    const long = "x".repeat(100);
    const error = rejection(long, "integer");
    expect(error.message).toBe(`column "col": "${"x".repeat(60)}…" is not an integer`);
    expect(error.context).toEqual({ column: "col", property: "col", value: `"${"x".repeat(60)}…"`, type: "integer" });
    expect(rejection("1;x", "integer[]").context).toEqual({ column: "col", property: "col", value: '"1;x"', type: "integer[]" });
  });
});

describe("compileConverter", () => {
  it("converts as convertValue does, once compiled for many values", () => {
    const toInteger = compileConverter(field("integer"), ["", "NULL"]);
    expect(["1", "NULL", "", "-2"].map(toInteger)).toEqual([int(1), null, null, int(-2)]);
    const toDate = compileConverter(field("date", { format: "dd.MM.yyyy" }), []);
    expect(toDate("04.07.1996")).toEqual(new DateValue(1996, 7, 4));
    expect(toDate("05.07.1996")).toEqual(new DateValue(1996, 7, 5));
  });
});

describe("values a Neo4j source gives", () => {
  it("keep their Neo4j type, untyped or typed as what they are", () => {
    const seen = new DateTime(2024, 2, 29, 10, 0, 0, 0, undefined, "Europe/Paris");
    expect(convertValue(seen, field(), [])).toBe(seen);
    expect(convertValue([int(1), int(2)], field(), [])).toEqual([int(1), int(2)]);
    const born = new DateValue(1970, 1, 1);
    expect(convertValue(born, field("date"), [])).toBe(born);
    expect(convertValue(int(7), field("integer"), [])).toEqual(int(7));
  });

  it("convert to another scalar where that is exact", () => {
    expect(convertValue(int(7), field("float"), [])).toBe(7);
    expect(convertValue(int("9007199254740993"), field("string"), [])).toBe("9007199254740993");
  });
});

describe("converters in wire form", () => {
  const field = (scalar: "integer" | "date") => ({ property: "p", column: "c", type: { scalar, list: false }, arrayDelimiter: ";" });
  it("gives integers in plain decimal as their text, other safe ones as numbers, larger ones as Integers", () => {
    const convert = compileConverter(field("integer"), [""], { wire: true });
    expect(convert(" 42 ")).toBe("42");
    expect(convert("-7")).toBe("-7");
    expect(convert("0")).toBe("0");
    expect(convert("999999999999999")).toBe("999999999999999");
    // Text that another spelling of the same number shares travels as the number, so keys hash alike.
    expect(convert("007")).toBe(7);
    expect(convert("+7")).toBe(7);
    expect(String(convert("-0"))).toBe("0");
    expect(convert("-07")).toBe(-7);
    expect(convert(42)).toBe(42);
    expect(convert("9223372036854775807")).toEqual(int("9223372036854775807"));
    expect(() => convert("4.2")).toThrow(/not an integer/);
  });

  it("passes an ISO date through as its text once its calendar is checked", () => {
    const convert = compileConverter(field("date"), [""], { wire: true });
    expect(convert("2024-02-29")).toBe("2024-02-29");
    expect(() => convert("2023-02-29")).toThrow(/not a date/);
    expect(() => convert("1900-02-29")).toThrow(/not a date/);
    expect(convert("2000-02-29")).toBe("2000-02-29");
    expect(() => convert("2024-13-01")).toThrow(/not a date/);
    expect(convert("+001996-07-04")).toBe("1996-07-04");
  });
});
