import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphload } from "../support/cli.js";
import { openDriver, removeTestData, uniqueLabel } from "../support/neo4j.js";
import { writeParquetFixtures } from "../support/pyarrow.js";
import { query } from "../support/run-fixture.js";

const driver = openDriver();
let dir: string;
/** Every label the tests write, removed afterwards with the constraints graphload made for them. */
const labels: string[] = [];
const testLabel = (prefix: string): string => {
  const name = uniqueLabel(prefix);
  labels.push(name);
  return name;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "graphload-parquet-"));
  await writeParquetFixtures(dir);
}, 300_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await removeTestData(driver, { labels });
  await driver.close();
});

/** Runs a pipeline through the CLI in a time zone far from UTC, with a half-hour part: no conversion may depend on it. */
async function run(name: string, tasks: string, env: Record<string, string> = {}) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `version: 1\nname: ${name}\nstages:\n  - name: load\n    tasks:\n${tasks}`);
  return graphload(["run", file, "--no-progress", "--fresh"], { env: { TZ: "Pacific/Chatham", ...env } });
}

const COLUMNS = ["id", "i32", "f32", "f64", "flag", "name", "day", "ts_ms", "ts_us", "ts_ns", "tsz_us", "tsz_ns", "dec", "tags", "longs", "days", "stamps", "blob"];

describe("a Parquet source", () => {
  it("maps every Parquet type to Neo4j's, across row groups, and leaves nulls unset", async () => {
    const label = testLabel("PqTypes");
    const result = await run(
      `parquet-types-${label}`,
      `      - name: types
        source: { file: types.parquet, decimal: string }
        node: { labels: [${label}], key: [id], allColumns: true }
`,
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const rows = await query<Record<string, unknown>>(
      driver,
      `MATCH (n:${label}) WITH n ORDER BY n.id
       RETURN toString(n.id) AS id, [k IN $columns WHERE n[k] IS NOT NULL | k + ': ' + valueType(n[k])] AS types,
              [k IN $columns WHERE n[k] IS NOT NULL AND NOT k IN ['f32', 'f64', 'blob', 'tags', 'longs', 'days', 'stamps'] | toString(n[k])] AS values,
              n.f32 AS f32, n.f64 AS f64, n.tags AS tags, [x IN n.longs | toString(x)] AS longs, [x IN n.days | toString(x)] AS days,
              [x IN n.stamps | toString(x)] AS stamps, n.blob AS blob`,
      { columns: COLUMNS },
    );
    expect(rows.map((row) => row.id)).toEqual(["-9223372036854775808", "1", "5", "9007199254740993", "9223372036854775807"]);
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    expect(byId["1"].types).toEqual([
      "id: INTEGER NOT NULL",
      "i32: INTEGER NOT NULL",
      "f32: FLOAT NOT NULL",
      "f64: FLOAT NOT NULL",
      "flag: BOOLEAN NOT NULL",
      "name: STRING NOT NULL",
      "day: DATE NOT NULL",
      "ts_ms: LOCAL DATETIME NOT NULL",
      "ts_us: LOCAL DATETIME NOT NULL",
      "ts_ns: LOCAL DATETIME NOT NULL",
      "tsz_us: ZONED DATETIME NOT NULL",
      "tsz_ns: ZONED DATETIME NOT NULL",
      "dec: STRING NOT NULL",
      "tags: LIST<STRING NOT NULL> NOT NULL",
      "longs: LIST<INTEGER NOT NULL> NOT NULL",
      "days: LIST<DATE NOT NULL> NOT NULL",
      "stamps: LIST<ZONED DATETIME NOT NULL> NOT NULL",
      // Cypher's valueType() calls a byte array a list of integers; the driver reads it back as bytes (below).
      "blob: LIST<INTEGER NOT NULL> NOT NULL",
    ]);
    expect(byId["1"].values).toEqual([
      "1",
      "-2147483648",
      "true",
      "Ada",
      "1996-07-04",
      "1996-07-04T10:15:30.123",
      "1996-07-04T10:15:30.123456",
      "2001-09-09T01:46:40.123456789",
      "1996-07-04T08:15:30.123456Z",
      "2001-09-09T01:46:40.123456789Z",
      "1234567890123456.7891",
    ]);
    expect(byId["1"]).toMatchObject({ f32: 1.5, f64: 0.1, tags: ["a", "b c"], longs: ["9007199254740993", "-1"], days: ["2000-01-01"], stamps: ["2000-01-01T00:00:00.000001Z"] });
    // A row of nulls: nothing set but what the file holds.
    expect(byId["9007199254740993"].values).toEqual(["9007199254740993", "false", "Zoë 🙂", "1969-12-31", "-0.0001"]);
    expect(byId["9007199254740993"]).toMatchObject({ f64: 2.5e300, tags: [], longs: null, days: null, stamps: null });
    expect(byId["-9223372036854775808"]).toMatchObject({ f32: -0.25, f64: null, tags: null, longs: [], blob: new Int8Array(0) });
    expect(byId["-9223372036854775808"].values).toEqual([
      "-9223372036854775808",
      "7",
      "0001-01-01",
      "1969-12-31T23:59:59.999",
      "1900-03-01T00:00:00.000001",
      "1969-12-31T23:59:59.999999999",
      "1960-01-01T00:00:00Z",
    ]);
    expect(byId["5"].values.slice(-4)).toEqual(["2023-11-14T22:13:20.000000001", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "-99999999999999999.9999"]);
    expect(byId["9223372036854775807"]).toMatchObject({ values: expect.arrayContaining(["2100-12-31T23:59:59.999999", "0.1000", ""]) });
    expect(byId["1"].blob).toBeInstanceOf(Int8Array);
    expect(Array.from(byId["1"].blob as Int8Array)).toEqual([0, -1, 16]);
  });

  it("reads DECIMAL as FLOAT by default and as exact text with decimal: string, whatever its storage", async () => {
    const floats = testLabel("PqDecFloat");
    const texts = testLabel("PqDecText");
    const result = await run(
      `parquet-decimals-${floats}`,
      `      - name: floats
        source: { file: decimals-int.parquet }
        node: { labels: [${floats}], key: [id], properties: { small: small, big: big } }
      - name: texts
        source: { file: decimals-int.parquet, decimal: string }
        node: { labels: [${texts}], key: [id], properties: { small: small, big: big } }
`,
    );
    expect(result.code).toBe(0);
    const read = (label: string) =>
      query(driver, `MATCH (n:${label}) RETURN n.small AS small, n.big AS big, valueType(n.big) AS type ORDER BY n.id`);
    expect(await read(floats)).toEqual([
      { small: 12.34, big: 123456789012.345678, type: "FLOAT NOT NULL" },
      { small: -0.01, big: -0.000001, type: "FLOAT NOT NULL" },
      { small: null, big: 0, type: "FLOAT NOT NULL" },
    ]);
    expect(await read(texts)).toEqual([
      { small: "12.34", big: "123456789012.345678", type: "STRING NOT NULL" },
      { small: "-0.01", big: "-0.000001", type: "STRING NOT NULL" },
      { small: null, big: "0.000000", type: "STRING NOT NULL" },
    ]);
  });

  it("streams many row groups, and an explicit type converts a Parquet value as it would a cell", async () => {
    const label = testLabel("PqMany");
    const result = await run(
      `parquet-many-${label}`,
      `      - name: many
        source: { file: many.parquet }
        batchSize: 3000
        node:
          labels: [${label}]
          key: [id]
          properties: { name: name, score: score, idText: { column: id, type: string }, scoreText: { column: score, type: string }, big: { column: id, type: integer } }
`,
    );
    expect(result.code).toBe(0);
    const [row] = await query(
      driver,
      `MATCH (n:${label}) RETURN toFloat(count(n)) AS nodes, toFloat(sum(n.id)) AS ids, toFloat(count(n.score)) AS scores,
              toFloat(sum(toInteger(n.idText))) AS texts, collect(DISTINCT valueType(n.big)) AS bigTypes, collect(DISTINCT valueType(n.idText)) AS textTypes`,
    );
    expect(row).toEqual({ nodes: 25_000, ids: (24_999 * 25_000) / 2, scores: 25_000 - 3_572, texts: (24_999 * 25_000) / 2, bigTypes: ["INTEGER NOT NULL"], textTypes: ["STRING NOT NULL"] });
    const [one] = await query(driver, `MATCH (n:${label} {id: 10}) RETURN n.name AS name, n.score AS score, n.scoreText AS scoreText`);
    expect(one).toEqual({ name: "person 10", score: 2.5, scoreText: "2.5" });
  });

  it("reads every file of a glob in name order as one source", async () => {
    const label = testLabel("PqParts");
    const result = await run(
      `parquet-parts-${label}`,
      `      - name: parts
        source: { files: "parts/*.parquet" }
        node: { labels: [${label}], key: [id], properties: { part: part } }
`,
    );
    expect(result.code).toBe(0);
    const rows = await query(driver, `MATCH (n:${label}) RETURN toFloat(n.part) AS part, toFloat(count(n)) AS nodes, toFloat(sum(n.id)) AS ids, valueType(n.part) AS type ORDER BY part`);
    expect(rows).toEqual([0, 1, 2].map((part) => ({ part, nodes: 1_000, ids: part * 1_000_000 + 499_500, type: "INTEGER NOT NULL" })));
  });

  it("names a truncated file and says it is not valid Parquet, before anything is written", async () => {
    const label = testLabel("PqBroken");
    const result = await run(
      `parquet-broken-${label}`,
      `      - name: broken
        source: { file: truncated.parquet }
        node: { labels: [${label}], key: [id] }
`,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("truncated.parquet");
    expect(result.stderr).toContain("not a valid Parquet file");
    const [count] = await query(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS n`);
    expect(count).toEqual({ n: 0 });
  });
});
