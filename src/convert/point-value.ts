import { int, Point, type Integer } from "neo4j-driver";
import { InvalidValue } from "./invalid-value.js";
import { parseMapLiteral } from "./map-literal.js";

const SRIDS: ReadonlyMap<string, number> = new Map([
  ["cartesian", 7203],
  ["cartesian-3d", 9157],
  ["wgs-84", 4326],
  ["wgs-84-3d", 4979],
]);
const KNOWN_SRIDS = new Set(SRIDS.values());
const GEOGRAPHIC = new Set([4326, 4979]);
const THREE_D = new Set([9157, 4979]);
const KEYS = new Set(["x", "y", "z", "latitude", "longitude", "height", "srid", "crs"]);

/**
 * A point from a map, as Cypher's `point()` takes it: `{x, y[, z]}` (cartesian) or
 * `{latitude, longitude[, height]}` (WGS-84), optionally with `srid` or `crs`
 * (`cartesian`, `cartesian-3d`, `wgs-84`, `wgs-84-3d`); `x`/`y` with a WGS-84 crs are
 * longitude/latitude. The map may come as text, as a CSV cell holds it: JSON, or a Cypher map
 * literal as neo4j-admin's files write it (`{x:1, y:2, crs:cartesian}`).
 */
export function toPoint(value: unknown): Point<Integer> {
  const map = typeof value === "string" ? parseMapText(value) : value;
  if (map === null || typeof map !== "object" || Array.isArray(map)) throw new InvalidValue('expected e.g. {"x": 1, "y": 2}');
  const entries = map as Record<string, unknown>;
  const unknown = Object.keys(entries).find((key) => !KEYS.has(key));
  if (unknown !== undefined) throw new InvalidValue(`unknown key "${unknown}"`);
  const { x, y, z, latitude, longitude, height } = entries;
  const geographicKeys = latitude !== undefined || longitude !== undefined || height !== undefined;
  if (geographicKeys && (x !== undefined || y !== undefined || z !== undefined)) {
    throw new InvalidValue("x/y/z and latitude/longitude/height do not mix");
  }
  const [first, second, third] = geographicKeys ? [longitude, latitude, height] : [x, y, z];
  const srid = sridOf(entries, geographicKeys, third !== undefined);
  const coordinates = [first, second, ...(third === undefined ? [] : [third])].map(coordinate);
  if (GEOGRAPHIC.has(srid) && (Math.abs(coordinates[0]) > 180 || Math.abs(coordinates[1]) > 90)) {
    throw new InvalidValue("longitude must lie within ±180 and latitude within ±90");
  }
  return new Point(int(srid), coordinates[0], coordinates[1], coordinates[2]);
}

function parseMapText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return parseMapLiteral(text);
    } catch {
      throw new InvalidValue('expected a map, e.g. {"latitude": 52.5, "longitude": 13.4} or {x: 1, y: 2, crs: cartesian}');
    }
  }
}

function sridOf(entries: Record<string, unknown>, geographicKeys: boolean, threeD: boolean): number {
  const { srid, crs } = entries;
  let chosen: number | undefined;
  if (crs !== undefined) {
    chosen = typeof crs === "string" ? SRIDS.get(crs.toLowerCase()) : undefined;
    if (chosen === undefined) throw new InvalidValue(`unknown crs ${JSON.stringify(crs)}`);
  }
  if (srid !== undefined) {
    if (typeof srid !== "number" || !KNOWN_SRIDS.has(srid)) throw new InvalidValue(`unknown srid ${JSON.stringify(srid)}`);
    if (chosen !== undefined && chosen !== srid) throw new InvalidValue("srid and crs disagree");
    chosen = srid;
  }
  if (chosen === undefined) return geographicKeys ? (threeD ? 4979 : 4326) : threeD ? 9157 : 7203;
  if (geographicKeys && !GEOGRAPHIC.has(chosen)) throw new InvalidValue("latitude/longitude need a WGS-84 crs");
  if (THREE_D.has(chosen) !== threeD) throw new InvalidValue(threeD ? "a third coordinate needs a 3D crs" : "a 3D crs needs a third coordinate");
  return chosen;
}

function coordinate(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidValue(value === undefined ? "a coordinate is missing" : `coordinate ${JSON.stringify(value)} is not a number`);
  }
  return value;
}
