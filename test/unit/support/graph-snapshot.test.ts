import neo4j from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { canonicalValue, diffSnapshots, type GraphSnapshot, type Properties } from "../../support/graph-snapshot.js";

const value = (text: string, type: string) => ({ value: text, type });
const iata = (code: string) => value(`"${code}"`, "STRING NOT NULL");
const count = (n: number) => ({ count: value(String(n), "INTEGER NOT NULL") });
const airport = (code: string, more = {}) => [{ labels: ["Airport"], properties: { iata: iata(code), ...more } }];

const snapshot = (): GraphSnapshot => ({
  nodes: {
    Airport: {
      count: 2,
      nodes: { 'iata="ABE"': airport("ABE", { runways: value("2", "INTEGER NOT NULL") }), 'iata="ATL"': airport("ATL") },
    },
  },
  relationships: {
    FLIES_TO: { count: 1, relationships: { '(Airport iata="ABE")->(Airport iata="ATL")': [count(853)] } },
  },
});

describe("diffSnapshots", () => {
  it("finds nothing between equal snapshots", () => {
    expect(diffSnapshots(snapshot(), snapshot())).toEqual([]);
  });

  it("names a property whose type differs, with both values and types", () => {
    const right: GraphSnapshot = {
      ...snapshot(),
      nodes: { Airport: { count: 2, nodes: { 'iata="ABE"': airport("ABE", { runways: value('"2"', "STRING NOT NULL") }), 'iata="ATL"': airport("ATL") } } },
    };
    expect(diffSnapshots(snapshot(), right, { names: ["LOAD CSV", "graphload"] })).toEqual([
      'Airport iata="ABE".runways: LOAD CSV 2 :: INTEGER NOT NULL, graphload "2" :: STRING NOT NULL',
    ]);
  });

  it("tells missing nodes, labels, unset properties and relationships apart", () => {
    const right: GraphSnapshot = {
      nodes: {
        Airport: {
          count: 2,
          nodes: { 'iata="ABE"': [{ labels: ["Airport", "Hub"], properties: { iata: iata("ABE") } }], 'iata="BHM"': airport("BHM") },
        },
        State: { count: 0, nodes: {} },
      },
      relationships: {
        FLIES_TO: {
          count: 2,
          relationships: { '(Airport iata="ABE")->(Airport iata="ATL")': [count(853), count(853)] },
        },
      },
    };
    expect(diffSnapshots(snapshot(), right)).toEqual([
      "label State: only in right",
      "FLIES_TO: 1 relationships in left, 2 in right",
      'Airport iata="ABE": labels Airport in left, Airport:Hub in right',
      'Airport iata="ABE".runways: left 2 :: INTEGER NOT NULL, right unset',
      'Airport iata="ATL": only in left',
      'Airport iata="BHM": only in right',
      'FLIES_TO (Airport iata="ABE")->(Airport iata="ATL"): left {count: 853 :: INTEGER NOT NULL}; ' +
        "right {count: 853 :: INTEGER NOT NULL}, {count: 853 :: INTEGER NOT NULL}",
    ]);
  });

  it("gives one line to differences of one kind, naming a few", () => {
    const routes = ["ATL", "BHM", "CLE", "CLT", "DTW"].map((to) => `(Airport iata="ABE")->(Airport iata="${to}")`);
    const flights = (properties: (i: number) => Properties): GraphSnapshot => ({
      nodes: {},
      relationships: { FLIES_TO: { count: 5, relationships: Object.fromEntries(routes.map((route, i) => [route, [properties(i)]])) } },
    });
    const left = flights(count);
    const right = flights((i) => ({ count: value(`${i}.0`, "FLOAT NOT NULL") }));
    expect(diffSnapshots(left, right)).toEqual([
      `FLIES_TO ${routes[0]}.count: left 0 :: INTEGER NOT NULL, right 0.0 :: FLOAT NOT NULL; ` +
        `and 4 more like it: FLIES_TO ${routes[1]}, FLIES_TO ${routes[2]}, FLIES_TO ${routes[3]}, …`,
    ]);
  });

  it("gives the first lines and counts the rest", () => {
    const nodes = (labels: (i: number) => string[]): GraphSnapshot => ({
      nodes: { N: { count: 30, nodes: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`id=${i}`, [{ labels: labels(i), properties: {} }]])) } },
      relationships: {},
    });
    const left = nodes(() => ["N"]);
    const right = nodes((i) => [`M${i}`, "N"]);
    expect(diffSnapshots(left, right, { limit: 2 })).toEqual(["N id=0: labels N in left, M0:N in right", "N id=1: labels N in left, M1:N in right", "… and 28 more lines"]);
  });
});

describe("canonicalValue", () => {
  it("keeps values of different types apart", () => {
    expect(canonicalValue(neo4j.int(1))).toBe("1");
    expect(canonicalValue(1)).toBe("1.0");
    expect(canonicalValue(0.1)).toBe("0.1");
    expect(canonicalValue("1")).toBe('"1"');
    expect(canonicalValue(null)).toBe("null");
    expect(canonicalValue([neo4j.int(1), "a"])).toBe('[1, "a"]');
  });

  it("writes points with their SRID and temporal values in ISO 8601", () => {
    expect(canonicalValue(new neo4j.types.Point(neo4j.int(4326), -75.44, 40.65))).toBe("point({srid: 4326, x: -75.44, y: 40.65})");
    expect(canonicalValue(new neo4j.types.LocalDateTime(1996, 7, 4, 0, 0, 0, 0))).toBe("1996-07-04T00:00:00");
    expect(canonicalValue(new neo4j.types.Date(1948, 12, 8))).toBe("1948-12-08");
  });
});
