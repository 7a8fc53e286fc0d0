import { describe, expect, it } from "vitest";
import { inferType } from "../../../src/init/infer-type.js";
import { detectDelimiter, looksLikeData } from "../../../src/init/read-text.js";

const typeOf = (values: unknown[]) => {
  const { type, format, arrayDelimiter, omit } = inferType(values);
  return { type, format, arrayDelimiter, omit };
};

describe("types inferred from sampled values", () => {
  it("reads whole numbers as integers, but not zero-padded codes or numbers beyond 64 bits", () => {
    expect(typeOf(["1", "-2", "10248"]).type).toBe("integer");
    expect(inferType(["01581", "19713"])).toEqual({ reason: expect.stringContaining("leading zeros (01581)") });
    expect(typeOf(["99999999999999999999"]).type).toBeUndefined();
    // Only 0 and 1 may be a flag or a count: integer, with the alternative in the comment.
    expect(inferType(["0", "1"])).toMatchObject({ type: "integer", reason: expect.stringContaining("type: boolean") });
  });

  it("reads numbers with a fraction or exponent as floats", () => {
    expect(typeOf(["14.00", "9.8", "3"]).type).toBe("float");
    expect(typeOf([".097", "1e-3"]).type).toBe("float");
    expect(typeOf(["1.5", "n/a"]).type).toBeUndefined();
  });

  it("reads booleans of one family only", () => {
    expect(typeOf(["true", "false", "TRUE"]).type).toBe("boolean");
    expect(typeOf(["yes", "no"]).type).toBe("boolean");
    expect(typeOf(["Y", "N"]).type).toBe("boolean");
    // A lone letter is no flag, nor are words of two families.
    expect(typeOf(["Y"]).type).toBeUndefined();
    expect(typeOf(["yes", "false"]).type).toBeUndefined();
  });

  it("reads dates and datetimes in ISO and in the formats common in exports", () => {
    expect(typeOf(["2012-01-01", "2012-02-29"])).toMatchObject({ type: "date", format: undefined });
    expect(typeOf(["7/15/2012", "1/2/2013"])).toMatchObject({ type: "date", format: "M/d/yyyy" });
    expect(typeOf(["15/7/2012", "1/2/2013"])).toMatchObject({ type: "date", format: "d/M/yyyy" });
    expect(typeOf(["Jan 1 2000", "Feb 29 2000"])).toMatchObject({ type: "date", format: "MMM d yyyy" });
    expect(typeOf(["1996-07-04 10:15:00.000"])).toMatchObject({ type: "localdatetime", format: undefined });
    expect(typeOf(["2015/01/01 01:00:00"])).toMatchObject({ type: "localdatetime", format: "yyyy/MM/dd HH:mm:ss" });
    expect(typeOf(["1/2/2013 13:45"])).toMatchObject({ type: "localdatetime", format: "M/d/yyyy H:mm" });
    expect(typeOf(["2012-01-01T10:00:00Z", "2012-01-01T10:00:00+02:00"])).toMatchObject({ type: "datetime", format: undefined });
    expect(typeOf(["10:30", "23:59:59"])).toMatchObject({ type: "localtime" });
    // The calendar is checked, as a run checks it.
    expect(typeOf(["2012-02-30"]).type).toBeUndefined();
  });

  it("reads timestamps that are all at midnight as dates, with the pattern that reads them", () => {
    expect(inferType(["1948-12-08 00:00:00.000", "1992-05-01 00:00:00.000"])).toMatchObject({
      type: "date",
      format: "yyyy-MM-dd HH:mm:ss.SSS",
      reason: expect.stringContaining("midnight"),
    });
    expect(typeOf(["1948-12-08 00:00:00.000", "1992-05-01 12:00:00.000"]).type).toBe("localdatetime");
  });

  it("says when a month-first date could as well be day-first", () => {
    expect(inferType(["1/2/2013", "3/4/2012"]).reason).toContain("may be d/M/yyyy");
    expect(inferType(["7/15/2012"]).reason).not.toContain("may be");
  });

  it("reads lists by ; or |, typed by their elements, and leaves prose alone", () => {
    expect(typeOf(["a;b", "c;d", "e"])).toMatchObject({ type: "string[]", arrayDelimiter: ";" });
    expect(typeOf(["1|2", "3|4"])).toMatchObject({ type: "integer[]", arrayDelimiter: "|" });
    expect(typeOf(["red; green", "blue; black"])).toMatchObject({ type: "string[]", arrayDelimiter: "; " });
    expect(typeOf(["Soft drinks, coffees; teas and beers", "Cheeses", "Breads; crackers, pasta"]).type).toBeUndefined();
    expect(typeOf(["one;", "two;three"]).type).toBeUndefined();
  });

  it("types JSON values by their JSON type, and leaves out what no property can hold", () => {
    expect(typeOf([1, 2, 3]).type).toBe("integer");
    expect(typeOf([1, 2.5]).type).toBe("float");
    expect(typeOf([true, false]).type).toBe("boolean");
    expect(typeOf(["2012-01-01"]).type).toBe("date");
    expect(typeOf([[1, 2], [3]]).type).toBe("integer[]");
    expect(typeOf([["2012-01-01"], []]).type).toBe("date[]");
    expect(typeOf([1, "a"]).type).toBe("string");
    expect(typeOf([{ latitude: 52.5, longitude: 13.4 }]).type).toBe("point");
    expect(typeOf([{ street: "Main St" }]).omit).toBe(true);
    expect(typeOf([[{ a: 1 }]]).omit).toBe(true);
  });

  it("says which values kept a column of mostly numbers or dates text", () => {
    expect(inferType(["12209", "5021", "EC1 4SD"])).toEqual({ reason: "text: 1 of 3 distinct values is not a number, e.g. EC1 4SD" });
    expect(inferType(["2024-02-28", "2024-02-30", "2024-03-01"])).toEqual({ reason: "text: 1 of 3 distinct values is not a date, e.g. 2024-02-30" });
  });

  it("says when there was nothing to go on", () => {
    expect(inferType([])).toEqual({ reason: "no value in the sample" });
    expect(inferType(["Alan", "George"])).toEqual({});
  });
});

describe("reading CSV text", () => {
  it("takes the format's delimiter unless another splits the lines alike", () => {
    expect(detectDelimiter("a,b,c\n1,2,3\n", ",")).toBe(",");
    expect(detectDelimiter("a;b;c\n1;2,5;3\n", ",")).toBe(";");
    expect(detectDelimiter("a\tb\n1\t2\n", "\t")).toBe("\t");
    expect(detectDelimiter("name\nAlan\n", ",")).toBe(",");
  });

  it("takes a first line of numbers and dates for data, not names", () => {
    expect(looksLikeData(["1", "2.5", "2012-01-01"])).toBe(true);
    expect(looksLikeData(["id", "2019"])).toBe(false);
    expect(looksLikeData(["1", ""])).toBe(false);
  });
});
