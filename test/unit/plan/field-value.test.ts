import { Date as Neo4jDate, int, isPoint, Point } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { convertDefault } from "../../../src/convert/default-value.js";
import type { FieldMapping } from "../../../src/model/pipeline.js";
import { compileFieldReader } from "../../../src/plan/field-value.js";

const column = (extra: Partial<FieldMapping> = {}): FieldMapping => ({ property: "p", column: "c", arrayDelimiter: ";", ...extra }) as FieldMapping;
const point = (columns: Record<string, string>, extra: Record<string, unknown> = {}): FieldMapping =>
  ({ property: "location", columns, type: { scalar: "point", list: false }, ...extra }) as FieldMapping;
const read = (field: FieldMapping, values: Record<string, unknown>, { typedValues = false, nullValues = [""] } = {}) =>
  compileFieldReader(field, nullValues, { typedValues })(values);

describe("defaults", () => {
  it("are used where the cell is null, converted as a cell of the property would be", () => {
    const year = column({ type: { scalar: "integer", list: false }, default: "1900" });
    expect(read(year, { c: "" })).toEqual(int(1900));
    expect(read(year, {})).toEqual(int(1900));
    expect(read(year, { c: "2001" })).toEqual(int(2001));
    const day = column({ type: { scalar: "date", list: false }, format: "dd.MM.yyyy", default: "01.01.1970" });
    expect(read(day, { c: "" })).toEqual(new Neo4jDate(1970, 1, 1));
    const tags = column({ type: { scalar: "string", list: true }, arrayDelimiter: "|", default: "a|b" });
    expect(read(tags, {})).toEqual(["a", "b"]);
  });

  it("keep their YAML type on an untyped property", () => {
    expect(read(column({ default: 1900 }), { c: "" })).toEqual(int(1900));
    expect(read(column({ default: 2.5 }), { c: "" })).toBe(2.5);
    expect(read(column({ default: true }), { c: "" })).toBe(true);
    expect(read(column({ default: "UNKNOWN" }), { c: "" })).toBe("UNKNOWN");
    expect(read(column({ default: 1900 }), { c: "1950" })).toBe("1950");
    // A database's NULL takes the default too; its values pass as they are.
    expect(read(column({ default: 0 }), { c: null }, { typedValues: true })).toEqual(int(0));
  });

  it("are not read as null themselves", () => {
    expect(read(column({ default: "" }), { c: "" })).toBe("");
  });

  it("that do not convert are refused with the property's name", () => {
    expect(() => convertDefault(column({ type: { scalar: "integer", list: false }, default: "soon" }))).toThrow(
      expect.objectContaining({ code: "GL_INVALID_DEFAULT", message: 'the default of "p" does not convert: "soon" is not an integer' }),
    );
    expect(() => convertDefault(column({ default: { a: 1 } }))).toThrow(expect.objectContaining({ code: "GL_INVALID_DEFAULT" }));
  });
});

describe("points from columns", () => {
  it("read WGS-84 latitude and longitude, each as a float", () => {
    const value = read(point({ latitude: "lat", longitude: "lon" }), { lat: "52.5", lon: "13.4" }) as Point;
    expect(isPoint(value)).toBe(true);
    expect(value).toEqual(new Point(int(4326), 13.4, 52.5));
    const high = read(point({ latitude: "lat", longitude: "lon", height: "h" }), { lat: "1", lon: "2", h: "3" });
    expect(high).toEqual(new Point(int(4979), 2, 1, 3));
  });

  it("read Cartesian x, y[, z], and JSON numbers as they are", () => {
    expect(read(point({ x: "x", y: "y" }), { x: 1, y: 2.5 })).toEqual(new Point(int(7203), 1, 2.5));
    expect(read(point({ x: "x", y: "y", z: "z" }), { x: "1", y: "2", z: "3" })).toEqual(new Point(int(9157), 1, 2, 3));
    expect(read(point({ x: "x", y: "y" }), { x: int(3), y: 4 }, { typedValues: true })).toEqual(new Point(int(7203), 3, 4));
  });

  it("take another crs when named", () => {
    expect(read(point({ x: "x", y: "y" }, { crs: "wgs-84" }), { x: "13.4", y: "52.5" })).toEqual(new Point(int(4326), 13.4, 52.5));
  });

  it("leave the point unset where any coordinate is null, or take the default", () => {
    const field = point({ latitude: "lat", longitude: "lon" });
    expect(read(field, { lat: "52.5", lon: "" })).toBeNull();
    expect(read(field, { lat: "52.5" })).toBeNull();
    const fallback = point({ latitude: "lat", longitude: "lon" }, { default: { latitude: 0, longitude: 0 } });
    expect(read(fallback, { lat: "", lon: "" })).toEqual(new Point(int(4326), 0, 0));
  });

  it("reject a row whose coordinate is no number, or no place on earth, naming the columns", () => {
    const field = point({ latitude: "lat", longitude: "lon" });
    expect(() => read(field, { lat: "north", lon: "1" })).toThrow(expect.objectContaining({ code: "GL_BAD_VALUE", message: expect.stringMatching(/^column "lat"( \(property "location"\))?: "north" is not a float$/) }));
    expect(() => read(field, { lat: "91", lon: "1" })).toThrow(
      expect.objectContaining({ code: "GL_BAD_VALUE", message: expect.stringMatching(/^columns "lat", "lon": .* is not a point \(longitude must lie within ±180 and latitude within ±90\)$/) }),
    );
  });
});
