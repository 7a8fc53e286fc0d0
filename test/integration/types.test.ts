import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, runIn, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

/** Column, type (as written in the pipeline), cell, and what Neo4j must hold. */
const columns: Array<{ column: string; type: string; cell: string; valueType: string; extra?: string }> = [
  { column: "s", type: "string", cell: "hello", valueType: "STRING NOT NULL" },
  { column: "i", type: "integer", cell: "-42", valueType: "INTEGER NOT NULL" },
  { column: "big", type: "integer", cell: "9007199254740993", valueType: "INTEGER NOT NULL" },
  { column: "f", type: "float", cell: "2.5", valueType: "FLOAT NOT NULL" },
  { column: "b", type: "boolean", cell: "TRUE", valueType: "BOOLEAN NOT NULL" },
  { column: "d", type: "date", cell: "2024-02-29", valueType: "DATE NOT NULL" },
  { column: "dt", type: "datetime", cell: "2024-02-29T10:15:30.123456789+01:00", valueType: "ZONED DATETIME NOT NULL" },
  { column: "dtz", type: "datetime", cell: "2024-07-01T08:00:00[Europe/Berlin]", valueType: "ZONED DATETIME NOT NULL" },
  { column: "ldt", type: "localdatetime", cell: "2024-02-29T10:15:30", valueType: "LOCAL DATETIME NOT NULL" },
  {
    column: "fmt",
    type: "localdatetime",
    cell: "1996-07-04 00:00:00.000",
    valueType: "LOCAL DATETIME NOT NULL",
    extra: ', format: "yyyy-MM-dd HH:mm:ss.SSS"',
  },
  { column: "t", type: "time", cell: "10:15:30Z", valueType: "ZONED TIME NOT NULL" },
  { column: "lt", type: "localtime", cell: "10:15:30.5", valueType: "LOCAL TIME NOT NULL" },
  { column: "dur", type: "duration", cell: "P1Y2M3DT4H5M6.5S", valueType: "DURATION NOT NULL" },
  { column: "pt", type: "point", cell: '{""x"": 1.5, ""y"": 2}', valueType: "POINT NOT NULL" },
  { column: "geo", type: "point", cell: '{""latitude"": 51.5, ""longitude"": -0.12}', valueType: "POINT NOT NULL" },
  { column: "il", type: "integer[]", cell: "1;2;3", valueType: "LIST<INTEGER NOT NULL> NOT NULL" },
  { column: "fl", type: "float[]", cell: "1.5|2", valueType: "LIST<FLOAT NOT NULL> NOT NULL", extra: ', arrayDelimiter: "|"' },
  { column: "sl", type: "string[]", cell: "a;b", valueType: "LIST<STRING NOT NULL> NOT NULL" },
  { column: "bl", type: "boolean[]", cell: "true;false", valueType: "LIST<BOOLEAN NOT NULL> NOT NULL" },
  { column: "dl", type: "date[]", cell: "2024-01-01;2024-12-31", valueType: "LIST<DATE NOT NULL> NOT NULL" },
];

function pipeline(label: string): string {
  const properties = columns.map((c) => `            ${c.column}: { column: ${c.column}, type: "${c.type}"${c.extra ?? ""} }`).join("\n");
  return `
version: 1
name: types
defaults: { nullValues: ["", "NULL"] }
stages:
  - name: load
    tasks:
      - name: typed
        source: { file: typed.csv }
        node:
          labels: [${label}]
          key: [id]
          properties:
            id: { column: id, type: integer }
${properties}
`;
}

describe("types", () => {
  it("reaches Neo4j as the declared types", async () => {
    const label = uniqueLabel("Typed");
    const header = ["id", ...columns.map((c) => c.column)].join(",");
    const row = ["1", ...columns.map((c) => `"${c.cell}"`)].join(",");
    const empty = ["2", ...columns.map((_, index) => (index % 2 === 0 ? "" : "NULL"))].join(",");
    const summary = await runIn(driver, workDir({ "typed.csv": `${header}\n${row}\n${empty}\n` }), pipeline(label));
    expect(summary.toJSON().error).toBeUndefined();
    expect(summary.exitCode).toBe(0);

    const returns = columns.map((c) => `valueType(n.${c.column}) AS ${c.column}_type`).join(", ");
    const [typed] = await query(driver, `MATCH (n:${label} {id: 1}) RETURN ${returns}`);
    for (const c of columns) {
      expect({ column: c.column, type: typed[`${c.column}_type`] }).toEqual({ column: c.column, type: c.valueType });
    }
    const [big] = await query(driver, `MATCH (n:${label} {id: 1}) RETURN n.big = 9007199254740993 AS exact, n.big - 1 = 9007199254740992 AS arithmetic`);
    expect(big).toEqual({ exact: true, arithmetic: true });
    const [lists] = await query(driver, `MATCH (n:${label} {id: 1}) RETURN n.il AS il, n.sl AS sl, n.dur = duration('P1Y2M3DT4H5M6.5S') AS dur, n.fmt = localdatetime('1996-07-04T00:00') AS fmt, n.dt = datetime('2024-02-29T10:15:30.123456789+01:00') AS dt, n.pt = point({x: 1.5, y: 2}) AS pt, n.geo = point({latitude: 51.5, longitude: -0.12}) AS geo`);
    expect(lists).toMatchObject({ sl: ["a", "b"], dur: true, fmt: true, dt: true, pt: true, geo: true });
    expect((lists.il as Array<{ toNumber(): number }>).map((value) => value.toNumber())).toEqual([1, 2, 3]);

    // Null cells leave the property unset.
    const [unset] = await query(driver, `MATCH (n:${label} {id: 2}) RETURN size(keys(n)) AS keys`);
    expect(Number(unset.keys)).toBe(1);
  });

  it("writes integers exactly whether a batch sends them as one string or as a list", async () => {
    const label = uniqueLabel("Whole");
    const cells = ["0", "-42", "999999999999999", "-999999999999999", "2147483648"];
    const load = (file: string, rows: readonly string[]) =>
      runIn(
        driver,
        workDir({ [file]: `key,n\n${rows.map((cell, index) => `${file}-${index},${cell}`).join("\n")}\n` }),
        `
version: 1
name: whole
stages:
  - name: load
    tasks:
      - name: whole
        source: { file: ${file} }
        node: { labels: [${label}], key: [key], properties: { n: { column: n, type: integer } } }
`,
      );
    // Plain decimal text only: the batch sends the column as one string. With "007" and "+5"
    // among them, which travel as numbers, it sends a list of both.
    for (const [file, rows] of [["plain.csv", cells], ["mixed.csv", [...cells, "007", "+5"]]] as const) {
      const summary = await load(file, rows);
      expect(summary.exitCode).toBe(0);
    }
    const found = await query(driver, `MATCH (n:${label}) RETURN n.key AS key, toString(n.n) AS n, valueType(n.n) AS type ORDER BY key`);
    const expected = (file: string, rows: readonly string[]) => rows.map((cell, index) => ({ key: `${file}-${index}`, n: String(BigInt(cell)), type: "INTEGER NOT NULL" }));
    expect(found).toEqual([...expected("mixed.csv", [...cells, "007", "+5"]), ...expected("plain.csv", cells)]);
  });

  it("reads dates written as APOC patterns read them, one-digit days included", async () => {
    const label = uniqueLabel("Released");
    const csv = 'id,released\n1,"Jul 5, 2012"\n2,"Jul 15, 2012"\n3,"Dec 31, 1999"\n4,"Feb 30, 2012"\n';
    const dir = workDir({ "movies.csv": csv });
    const summary = await runIn(
      driver,
      dir,
      `
version: 1
name: apoc-dates
stages:
  - name: load
    tasks:
      - name: movies
        source: { file: movies.csv }
        node:
          labels: [${label}]
          key: [id]
          properties:
            id: { column: id, type: integer }
            d: { column: released, type: date, format: "MMM dd, yyyy" }
`,
    );
    expect(summary.toJSON().totals).toMatchObject({ rowsWritten: 3, rowsRejected: 1 });
    const rows = await query(driver, `MATCH (n:${label}) RETURN n.id AS id, valueType(n.d) AS type, toString(n.d) AS d ORDER BY id`);
    expect(rows.map((row) => ({ ...row, id: Number(row.id) }))).toEqual([
      { id: 1, type: "DATE NOT NULL", d: "2012-07-05" },
      { id: 2, type: "DATE NOT NULL", d: "2012-07-15" },
      { id: 3, type: "DATE NOT NULL", d: "1999-12-31" },
    ]);
    const [rejected] = readFileSync(join(dir, "rejected.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(rejected).toMatchObject({ line: 5, code: "GL_BAD_VALUE", message: 'column "released" (property "d"): "Feb 30, 2012" is not a date (no such date)' });
  });

  it("keeps JSON types: whole numbers are INTEGER, others FLOAT", async () => {
    const label = uniqueLabel("Json");
    const lines = [
      { id: 1, count: 7, ratio: 0.5, ok: true, tags: ["x", "y"], nums: [1, 2], name: "a" },
      { id: 2, count: null, ratio: 1.25, ok: false, tags: [], nums: [3], name: "b" },
    ];
    const summary = await runIn(
      driver,
      workDir({ "rows.jsonl": lines.map((line) => JSON.stringify(line)).join("\n") }),
      `
version: 1
name: json-types
stages:
  - name: load
    tasks:
      - name: json
        source: { file: rows.jsonl }
        node:
          labels: [${label}]
          key: [id]
          properties: { id: id, count: count, ratio: ratio, ok: ok, tags: tags, nums: nums, name: name }
`,
    );
    expect(summary.exitCode).toBe(0);
    const rows = await query(
      driver,
      `MATCH (n:${label}) RETURN valueType(n.id) AS id, valueType(n.count) AS count, valueType(n.ratio) AS ratio, valueType(n.ok) AS ok, valueType(n.nums) AS nums, valueType(n.tags) AS tags ORDER BY n.id`,
    );
    expect(rows[0]).toEqual({ id: "INTEGER NOT NULL", count: "INTEGER NOT NULL", ratio: "FLOAT NOT NULL", ok: "BOOLEAN NOT NULL", nums: "LIST<INTEGER NOT NULL> NOT NULL", tags: "LIST<STRING NOT NULL> NOT NULL" });
    expect(rows[1].count).toBe("NULL");
  });
});
