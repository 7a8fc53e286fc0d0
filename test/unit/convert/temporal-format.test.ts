import { describe, expect, it } from "vitest";
import { InvalidValue } from "../../../src/convert/invalid-value.js";
import { compileTemporalFormat } from "../../../src/convert/temporal-format.js";
import type { TemporalParts } from "../../../src/convert/temporal-value.js";
import { GraphloadError } from "../../../src/errors.js";

function read(pattern: string, text: string): TemporalParts {
  return compileTemporalFormat(pattern).parse(text);
}

function date(pattern: string, text: string): [number, number, number] {
  const { year, month, day } = read(pattern, text);
  return [year, month, day];
}

function time(pattern: string, text: string): [number, number, number, number] {
  const { hour, minute, second, nanosecond } = read(pattern, text);
  return [hour, minute, second, nanosecond];
}

/** Why the text does not follow the pattern. */
function failure(pattern: string, text: string): string {
  try {
    read(pattern, text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidValue);
    return (error as InvalidValue).message;
  }
  throw new Error(`${JSON.stringify(text)} followed ${JSON.stringify(pattern)}`);
}

/** Why the pattern does not compile. */
function patternError(pattern: string): string {
  try {
    compileTemporalFormat(pattern);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphloadError);
    expect((error as GraphloadError).code).toBe("GL_INVALID_VALUE");
    return (error as GraphloadError).message;
  }
  throw new Error(`${JSON.stringify(pattern)} compiled`);
}

describe("compileTemporalFormat", () => {
  it("compiles a pattern once", () => {
    expect(compileTemporalFormat("yyyy-MM-dd")).toBe(compileTemporalFormat("yyyy-MM-dd"));
  });

  it("tells which parts a pattern holds", () => {
    expect(compileTemporalFormat("dd MMM yyyy")).toMatchObject({ hasDate: true, hasTime: false, hasOffset: false, hasZone: false });
    expect(compileTemporalFormat("yyyy-MM-dd h:mm a XXX VV")).toMatchObject({ hasDate: true, hasTime: true, hasOffset: true, hasZone: true });
    expect(compileTemporalFormat("yyyy-MM")).toMatchObject({ hasDate: false });
    expect(compileTemporalFormat("EEE HH:mm")).toMatchObject({ hasDate: false, hasTime: true });
    expect(compileTemporalFormat("k:mm")).toMatchObject({ hasTime: true });
  });

  it("reads the parts of a text that follows the pattern", () => {
    expect(read("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "1996-07-04T13:05:06.789-03:30")).toEqual({
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
    expect(read("HH:mm VV", "09:15 America/Argentina/Buenos_Aires")).toMatchObject({
      hour: 9,
      minute: 15,
      zoneId: "America/Argentina/Buenos_Aires",
    });
  });
});

describe("numeric fields", () => {
  it("read Northwind's timestamps", () => {
    expect(read("yyyy-MM-dd HH:mm:ss.SSS", "1996-07-04 00:00:00.000")).toMatchObject({ year: 1996, month: 7, day: 4, hour: 0, nanosecond: 0 });
  });

  it.each([
    ["MMM dd, yyyy", "Jul 5, 2012", [2012, 7, 5]],
    ["MMM dd, yyyy", "Jul 05, 2012", [2012, 7, 5]],
    ["M/d/yyyy", "7/15/2012", [2012, 7, 15]],
    ["M/d/yyyy", "07/05/2012", [2012, 7, 5]],
    ["dd.MM.yyyy", "5.7.2012", [2012, 7, 5]],
    ["dd.MM.yyyy", "05.07.2012", [2012, 7, 5]],
    ["d-M-yyyy", "31-12-2012", [2012, 12, 31]],
  ] as const)("read %j leniently in width: %j", (pattern, text, expected) => {
    expect(date(pattern, text)).toEqual(expected);
  });

  it("read the time of day leniently in width", () => {
    expect(time("HH:mm:ss", "9:5:7")).toEqual([9, 5, 7, 0]);
    expect(time("H:m:s", "09:05:07")).toEqual([9, 5, 7, 0]);
  });

  it("take the pattern's widths where fields touch, the first field the digits left before them", () => {
    expect(date("yyyyMMdd", "19960704")).toEqual([1996, 7, 4]);
    expect(date("yyMMdd", "960704")).toEqual([1996, 7, 4]);
    expect(date("ddMMyyyy", "04071996")).toEqual([1996, 7, 4]);
    expect(date("dMMyyyy", "4071996")).toEqual([1996, 7, 4]);
    expect(date("yMMdd", "120704")).toEqual([2012, 7, 4]);
    expect(date("yMMdd", "19960704")).toEqual([1996, 7, 4]);
    expect(time("HHmm", "0930")).toEqual([9, 30, 0, 0]);
    expect(time("HHmm", "930")).toEqual([9, 30, 0, 0]);
    expect(time("HHmmssSSS", "093015250")).toEqual([9, 30, 15, 250_000_000]);
    expect(read("yyyyMMddHHmmss", "19960704133005")).toMatchObject({ year: 1996, month: 7, day: 4, hour: 13, minute: 30, second: 5 });
    // Separated fields stay lenient in the same pattern.
    expect(read("yyyyMMdd HH:mm", "19960704 9:05")).toMatchObject({ day: 4, hour: 9, minute: 5 });
  });

  it("read a fraction of a second as a decimal fraction of 1 to 9 digits", () => {
    expect(time("HH:mm:ss.SSS", "12:30:00.5")).toEqual([12, 30, 0, 500_000_000]);
    expect(time("HH:mm:ss.SSS", "12:30:00.12")).toEqual([12, 30, 0, 120_000_000]);
    expect(time("HH:mm:ss.S", "12:30:00.123456789")).toEqual([12, 30, 0, 123_456_789]);
    expect(time("HH:mm:ss.SSSSSS", "08:15:30.123456")).toEqual([8, 15, 30, 123_456_000]);
  });

  it("read a year of 'yyyy' as written, in four digits or more", () => {
    expect(date("d/M/yyyy", "4/7/1996")[0]).toBe(1996);
    expect(date("d/M/yyyy", "4/7/12345")[0]).toBe(12345);
    expect(date("d/M/yyyy", "4/7/0044")[0]).toBe(44);
    expect(failure("M/d/yyyy", "7/15/12")).toBe('expected the format "M/d/yyyy": the year (yyyy) expected at "12"');
  });

  it("read two-digit years of 'y' and 'yy' in 1950–2049, other widths as written", () => {
    expect(date("d.M.yy", "4.7.96")[0]).toBe(1996);
    expect(date("d.M.yy", "4.7.50")[0]).toBe(1950);
    expect(date("d.M.yy", "4.7.49")[0]).toBe(2049);
    expect(date("d.M.yy", "4.7.00")[0]).toBe(2000);
    expect(date("d.M.yy", "4.7.1996")[0]).toBe(1996);
    expect(date("d.M.y", "4.7.96")[0]).toBe(1996);
    expect(date("d.M.y", "4.7.2012")[0]).toBe(2012);
    expect(date("d.M.y", "4.7.5")[0]).toBe(5);
    expect(failure("d.M.yy", "4.7.5")).toContain("the year (yy) expected");
  });

  it("do not check the calendar: that is the type's business", () => {
    expect(date("yyyy-MM-dd", "2024-13-30")).toEqual([2024, 13, 30]);
    expect(date("yyyy-MM-dd", "2023-02-29")).toEqual([2023, 2, 29]);
  });

  it("refuse more digits than a field holds", () => {
    expect(failure("d/M/yyyy", "004/7/1996")).toContain('"/" expected at "4/7/1996"');
    expect(failure("yyyyMMdd", "1996074")).toContain('the year (yyyy) expected at "1996074"');
    // As in java.time, the first of touching fields takes the digits left: the calendar then refuses month 70.
    expect(date("yyyyMMdd", "199607041")).toEqual([19960, 70, 41]);
    expect(failure("HHmm", "12345")).toContain('"5" is left over');
  });
});

describe("names", () => {
  it.each([
    ["MMM d, yyyy", "Jul 5, 2012"],
    ["MMM d, yyyy", "July 5, 2012"],
    ["MMM d, yyyy", "jul 5, 2012"],
    ["MMM d, yyyy", "JULY 5, 2012"],
    ["MMMM d, yyyy", "Jul 5, 2012"],
    ["MMMM d, yyyy", "July 5, 2012"],
    ["d-MMM-yyyy", "5-jul-2012"],
    ["dMMMyyyy", "5Jul2012"],
  ])("%j reads months by full or short English name in any case: %j", (pattern, text) => {
    expect(date(pattern, text)).toEqual([2012, 7, 5]);
  });

  it("read every month", () => {
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    expect(months.map((name) => date("d MMM yyyy", `1 ${name} 2000`)[1])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const full = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    expect(full.map((name) => date("MMMM d yyyy", `${name} 1 2000`)[1])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("read day names, full or short, and check them against the date", () => {
    expect(date("EEE, d MMM yyyy", "Thu, 5 Jul 2012")).toEqual([2012, 7, 5]);
    expect(date("EEEE, MMMM d, yyyy", "Thursday, July 5, 2012")).toEqual([2012, 7, 5]);
    expect(date("E d.M.yyyy", "thursday 5.7.2012")).toEqual([2012, 7, 5]);
    expect(date("EEE d.M.yyyy", "Sun 29.2.2004")).toEqual([2004, 2, 29]);
    expect(date("EEE d.M.yyyy", "Mon 1.1.1900")).toEqual([1900, 1, 1]);
    expect(date("EEE d.M.yyyy", "Sat 1.1.2000")).toEqual([2000, 1, 1]);
    expect(date("EEE d.M.yyyy", "Mon 1.1.0001")).toEqual([1, 1, 1]);
    expect(failure("EEE, d MMM yyyy", "Fri, 5 Jul 2012")).toBe("2012-07-05 is a Thursday, not a Friday");
    // Without a whole date there is nothing to check; an impossible date is the type's to refuse.
    expect(time("EEE HH:mm", "Fri 09:30")).toEqual([9, 30, 0, 0]);
    expect(date("EEE d.M.yyyy", "Mon 30.2.2012")).toEqual([2012, 2, 30]);
  });

  it("refuse what is no English name", () => {
    expect(failure("d MMM yyyy", "4 Jly 1996")).toBe('expected the format "d MMM yyyy": an English month name expected at "Jly 1996"');
    expect(failure("d MMM yyyy", "4 7 1996")).toContain("an English month name expected");
    expect(failure("EEE d.M.yyyy", "Mo 1.1.1900")).toContain('an English day name expected at "Mo 1.1.1900"');
    expect(failure("d MMM yyyy", "4 Juli 1996")).toContain('" " expected at "i 1996"');
  });
});

describe("clocks", () => {
  it("read 12-hour clocks with AM/PM in any case", () => {
    expect(time("h:mm a", "12:05 AM")).toEqual([0, 5, 0, 0]);
    expect(time("h:mm a", "12:05 pm")).toEqual([12, 5, 0, 0]);
    expect(time("h:mm a", "1:05 PM")).toEqual([13, 5, 0, 0]);
    expect(time("hh:mm a", "11:59 Pm")).toEqual([23, 59, 0, 0]);
    expect(time("h:mma", "7:30AM")).toEqual([7, 30, 0, 0]);
    expect(time("K:mm a", "0:30 PM")).toEqual([12, 30, 0, 0]);
    expect(time("K:mm a", "11:30 AM")).toEqual([11, 30, 0, 0]);
  });

  it("read k as 1–24, 24 being midnight", () => {
    expect(time("kk:mm", "24:00")).toEqual([0, 0, 0, 0]);
    expect(time("kk:mm", "13:00")).toEqual([13, 0, 0, 0]);
  });

  it("refuse hours off the clock and AM/PM that contradict a 24-hour clock", () => {
    expect(failure("h:mm a", "13:00 PM")).toBe("no such time of day: hour 13 on a 1–12 clock");
    expect(failure("h:mm a", "0:00 AM")).toBe("no such time of day: hour 0 on a 1–12 clock");
    expect(failure("K:mm a", "12:00 AM")).toBe("no such time of day: hour 12 on a 0–11 clock");
    expect(failure("k:mm", "0:00")).toBe("no such time of day: hour 0 on a 1–24 clock");
    expect(failure("H:mm a", "13:00 AM")).toBe("hour 13 is not AM");
    expect(failure("H:mm a", "0:00 PM")).toBe("hour 0 is not PM");
    expect(time("H:mm a", "13:00 PM")).toEqual([13, 0, 0, 0]);
    expect(failure("h:mm a", "1:30 XM")).toContain('AM or PM expected at "XM"');
  });
});

describe("offsets and zones", () => {
  it.each([
    ["HH:mm X", "12:30 Z", 0],
    ["HH:mm X", "12:30 +02", 7200],
    ["HH:mm XX", "12:30 -0230", -9000],
    ["HH:mm XXX", "12:30 +02:00", 7200],
    ["HH:mm XXX", "12:30 +0200", 7200],
    ["HH:mm xxx", "12:30 +02:00", 7200],
    ["HH:mm Z", "12:30 +0200", 7200],
    ["HH:mm ZZZZZ", "12:30 z", 0],
    ["HH:mm XXXXX", "12:30 +01:30:15", 5415],
    ["HH:mm xxxx", "12:30 -013015", -5415],
    ["HH:mmXXX", "12:30-03:00", -10_800],
  ])("%j reads %j", (pattern, text, offsetSeconds) => {
    expect(read(pattern, text).offsetSeconds).toBe(offsetSeconds);
  });

  it.each([
    ["HH:mm xx", "12:30 Z"],
    ["HH:mm Z", "12:30 Z"],
    ["HH:mm XXX", "12:30 +01:"],
    ["HH:mm XXX", "12:30 +1:00"],
    ["HH:mm X", "12:30 01:00"],
  ])("%j refuses %j", (pattern, text) => {
    expect(failure(pattern, text)).toContain("an offset");
  });

  it("reads zone ids", () => {
    expect(read("yyyy-MM-dd HH:mm VV", "1996-07-04 12:30 Europe/Berlin").zoneId).toBe("Europe/Berlin");
    expect(read("HH:mm'['VV']'", "12:30[UTC]").zoneId).toBe("UTC");
    expect(failure("HH:mm VV", "12:30 ")).toContain("a zone id (VV) expected at the end");
  });
});

describe("literals", () => {
  it("match quoted text and punctuation exactly", () => {
    expect(read("yyyy-MM-dd'T'HH:mm", "1996-07-04T12:30")).toMatchObject({ day: 4, hour: 12 });
    expect(time("HH'h'mm 'o''clock'", "12h30 o'clock")).toEqual([12, 30, 0, 0]);
    expect(time("HH''mm", "08'15")).toEqual([8, 15, 0, 0]);
    expect(date("'day' d 'of' MMMM, yyyy", "day 4 of July, 1996")).toEqual([1996, 7, 4]);
    expect(failure("yyyy-MM-dd'T'HH:mm", "1996-07-04t12:30")).toContain('"T" expected at "t12:30"');
  });

  it.each([
    ["dd/MM/yyyy", "04-07-1996", '"/" expected at "-07-1996"'],
    ["dd/MM/yyyy", "04/07/1996 ", '" " is left over'],
    ["dd/MM/yyyy", "04/07/", "the year (yyyy) expected at the end"],
    ["dd/MM/yyyy", "x4/07/1996", 'the day (dd) expected at "x4/07/1996"'],
    ["yyyy-MM-dd HH:mm", "1996-07-04 12:30 and a long tail", '" and a long …" is left over'],
  ])("%j refuses %j: %s", (pattern, text, reason) => {
    expect(failure(pattern, text)).toBe(`expected the format "${pattern}": ${reason}`);
  });
});

describe("patterns it cannot read", () => {
  it.each([
    ["yyyy-QQ-dd", 'format "yyyy-QQ-dd": "QQ" is not supported'],
    ["YYYY-MM-dd", 'format "YYYY-MM-dd": "YYYY" is the week-based year, which differs from the calendar year around New Year; write "yyyy"'],
    ["yyyy-MM-DD", '"DD" is the day of the year; write "dd" for the day of the month'],
    ["HH:mm z", '"z" is a time-zone name such as "PST", which is ambiguous; write "VV" for a zone id or "XXX" for an offset'],
    ["HH:mm:ss.nnn", '"nnn" is nanoseconds as a number'],
    ["yyyy-MM-dd 'T", "a quote is not closed"],
    ["yyyy-MM-dd 'it''s", "a quote is not closed"],
    ["hh:mm", '"h" needs "a" (AM/PM); use "H" for 0–23'],
    ["KK:mm", '"K" needs "a" (AM/PM)'],
    ["yyyy-MMMMM-dd", '"MMMMM" (narrow month names) is not supported'],
    ["yyyy-MM-ddd", '"ddd" has too many letters'],
    ["HHH:mm", '"HHH" has too many letters'],
    ["EEEEE d.M.yyyy", '"EEEEE" is not supported'],
    ["yyyy[-MM]-dd", "optional sections are not supported"],
    ["HH:mm:ss.SSSSSSSSSS", "at most 9 S"],
    ["MMddy", '"y" right after another number needs its width; write "yyyy"'],
    ["HH:mm aa", '"aa" is not supported'],
    ["HH:mm VVV", '"VVV" is not supported'],
  ])("%j", (pattern, message) => {
    expect(patternError(pattern)).toContain(message);
  });
});
