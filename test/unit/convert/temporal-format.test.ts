import { describe, expect, it } from "vitest";
import { compileTemporalFormat } from "../../../src/convert/temporal-format.js";

describe("compileTemporalFormat", () => {
  it("compiles a pattern once", () => {
    expect(compileTemporalFormat("yyyy-MM-dd")).toBe(compileTemporalFormat("yyyy-MM-dd"));
  });

  it("tells which parts a pattern holds", () => {
    expect(compileTemporalFormat("dd MMM yyyy")).toMatchObject({ hasDate: true, hasTime: false, hasOffset: false, hasZone: false });
    expect(compileTemporalFormat("yyyy-MM-dd h:mm a XXX VV")).toMatchObject({ hasDate: true, hasTime: true, hasOffset: true, hasZone: true });
    expect(compileTemporalFormat("yyyy-MM")).toMatchObject({ hasDate: false });
  });

  it("reads the parts of a text that follows the pattern", () => {
    expect(compileTemporalFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").parse("1996-07-04T13:05:06.789-03:30")).toEqual({
      year: 1996,
      month: 7,
      day: 4,
      hour: 13,
      minute: 5,
      second: 6,
      nanosecond: 789_000_000,
      offsetSeconds: -12_600,
      zoneId: undefined,
    });
    expect(compileTemporalFormat("HH:mm VV").parse("09:15 America/Argentina/Buenos_Aires")).toMatchObject({
      hour: 9,
      minute: 15,
      zoneId: "America/Argentina/Buenos_Aires",
    });
  });

  it.each([
    ["dd/MM/yyyy", "4/07/1996"],
    ["dd/MM/yyyy", "04/07/96"],
    ["dd/MM/yyyy", "04-07-1996"],
    ["dd/MM/yyyy", "04/07/1996 "],
    ["HH:mm xx", "12:30 Z"],
    ["HH:mm XXX", "12:30 +01:"],
    ["HH:mm X", "12:30 01:00"],
    ["HH:mm VV", "12:30 "],
    ["d MMM yyyy", "4 Jly 1996"],
    ["HH:mm:ss.SSS", "12:30:00.12"],
    ["h:mm a", "1:30 XM"],
  ])("finds that %j does not fit %j", (pattern, text) => {
    expect(compileTemporalFormat(pattern).parse(text)).toBeUndefined();
  });
});
