import { DateTime, int, Point, Time } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { compileConverter } from "../../../src/convert/convert-value.js";
import { parseMapLiteral } from "../../../src/convert/map-literal.js";
import type { ColumnField, ScalarType } from "../../../src/model/pipeline.js";

const field = (scalar: ScalarType, extra: Partial<ColumnField> = {}): ColumnField => ({ property: "p", column: "p", type: { scalar, list: false }, arrayDelimiter: ";", ...extra });

describe("values as neo4j-admin's files write them", () => {
  it("read Cypher map literals, keys and text bare or quoted", () => {
    expect(parseMapLiteral("{x:1, y:-2.5e1, crs:cartesian}")).toEqual({ x: 1, y: -25, crs: "cartesian" });
    expect(parseMapLiteral(` { 'latitude': 55.6, "longitude":12.9, crs: 'WGS-84' } `)).toEqual({ latitude: 55.6, longitude: 12.9, crs: "WGS-84" });
    expect(parseMapLiteral("{}")).toEqual({});
    expect(() => parseMapLiteral("{x 1}")).toThrow("expected key: value");
    expect(() => parseMapLiteral("(1, 2)")).toThrow("expected a map");
  });

  it("make points from them, lists of points too", () => {
    expect(compileConverter(field("point"), [""])("{x:1, y:2, crs:cartesian}")).toEqual(new Point(int(7203), 1, 2));
    expect(compileConverter(field("point"), [""])("{latitude:55.6, longitude:12.9, height:3}")).toEqual(new Point(int(4979), 12.9, 55.6, 3));
    const list = compileConverter({ ...field("point"), type: { scalar: "point", list: true } }, [""]);
    expect(list("{x:1,y:2};{x:3,y:4}")).toEqual([new Point(int(7203), 1, 2), new Point(int(7203), 3, 4)]);
  });

  it("read a datetime or time without a zone in the field's timezone, and keep one that has it", () => {
    expect(compileConverter(field("datetime", { timezone: "Z" }), [""])("2020-01-02T03:04:05")).toEqual(new DateTime(2020, 1, 2, 3, 4, 5, 0, 0));
    expect(compileConverter(field("datetime", { timezone: "Europe/Berlin" }), [""])("2020-01-02T03:04")).toEqual(new DateTime(2020, 1, 2, 3, 4, 0, 0, undefined, "Europe/Berlin"));
    expect(compileConverter(field("datetime", { timezone: "Z" }), [""])("2020-01-02T03:04:05+02:00")).toEqual(new DateTime(2020, 1, 2, 3, 4, 5, 0, 7200));
    expect(compileConverter(field("time", { timezone: "-01:30" }), [""])("12:30")).toEqual(new Time(12, 30, 0, 0, -5400));
    expect(() => compileConverter(field("datetime"), [""])("2020-01-02T03:04:05")).toThrow("no offset or time zone");
    expect(() => compileConverter(field("time", { timezone: "Europe/Berlin" }), [""])).toThrow(expect.objectContaining({ code: "GL_INVALID_VALUE" }));
  });
});
