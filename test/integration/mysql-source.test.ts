import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { int } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSource } from "../../src/source/open-source.js";
import { graphload, startGraphload } from "../support/cli.js";
import { startMariadb, type StartedMariadb } from "../support/mariadb.js";
import { openDriver, removeTestData, uniqueLabel } from "../support/neo4j.js";
import { query, runIn, workDir } from "../support/run-fixture.js";
import { until } from "../support/until.js";

// A time zone of odd offset (+12:45 / +13:45) for graphload's process; the server has another (-03:30).
process.env.TZ = "Pacific/Chatham";

const driver = openDriver();
let mariadb: StartedMariadb;
/** Keys beyond 2^53, which a double cannot tell apart. */
const BASE = 9007199254740993n;

beforeAll(async () => {
  mariadb = await startMariadb();
  await mariadb.sql(`
    CREATE DATABASE shop;
    USE shop;
    CREATE TABLE typed (
      id BIGINT PRIMARY KEY, flag TINYINT(1), small SMALLINT, medium MEDIUMINT UNSIGNED, year_ YEAR, bit1 BIT(1), bits BIT(12),
      price DECIMAL(30,4), ratio FLOAT, exact DOUBLE, day DATE, local_ DATETIME(6), stamp TIMESTAMP(3) NULL, clock TIME(2),
      doc JSON, code CHAR(3), name VARCHAR(40), body TEXT, kind ENUM('a','b'), raw BLOB, bin BINARY(2), empty VARCHAR(5), nothing VARCHAR(5));
    SET time_zone = '+02:00';
    INSERT INTO typed VALUES (9223372036854775807, 1, -7, 16777215, 2024, b'1', b'101', 12345678901234567890.1234, 1.5, 0.1, '1996-02-29',
      '1996-07-04 10:15:30.250001', '1996-07-04 10:15:30.25', '23:59:59.5',
      '{"k": [1, 2], "s": "é"}', 'abc', 'Zoë', 'long text', 'b', x'00ff10', x'0a0b', '', NULL);
    CREATE TABLE paged (id BIGINT UNSIGNED PRIMARY KEY, name VARCHAR(20));
    INSERT INTO paged SELECT ${BASE} + seq, CONCAT('p', seq) FROM seq_1_to_77;
    CREATE TABLE spans (id INT PRIMARY KEY, span TIME, day DATE);
    INSERT INTO spans VALUES (1, '12:00:00', '2020-01-01'), (2, '-25:00:00', '2020-01-02'), (3, '00:00:00', '0000-00-00');
  `);
});
/** A pipeline of one stage, `tasks` being its task list in YAML. */
const pipeline = (name: string, tasks: string) => `version: 1\nname: ${name}\nstages:\n  - name: nodes\n    tasks:${tasks}`;

afterAll(async () => {
  // The shared database keeps nothing of these tests: their nodes, and the runs' state.
  await removeTestData(driver, { labels, pipelines });
  await mariadb?.stop();
  await driver.close();
});

const labels: string[] = [];
const pipelines: string[] = [];

/** A label for one test's nodes, and the name of its pipeline; both are removed afterwards. */
function names(prefix: string): { label: string; name: string } {
  const label = uniqueLabel(prefix);
  labels.push(label, `${label}Exact`, `${label}Csv`);
  pipelines.push(`mysql-${label}`, `mysql-csv-${label}`);
  return { label, name: `mysql-${label}` };
}

describe("a MySQL / MariaDB source", () => {
  it("maps every MySQL type to Neo4j's, whatever the client's and server's time zones", async () => {
    const { label, name } = names("MyTyped");
    const columns = ["flag", "small", "medium", "year_", "bit1", "bits", "price", "ratio", "exact", "day", "local_", "stamp", "clock", "doc", "code", "name", "body", "kind", "raw", "bin", "empty"];
    const yaml = pipeline(name, `
      - name: typed
        source: { mysql: { url: "${mariadb.url("shop")}", query: "SELECT * FROM typed" } }
        node: { labels: [${label}], key: [id], properties: { ${[...columns, "nothing"].map((name) => `${name}: ${name}`).join(", ")} } }
      - name: exact
        source: { mysql: { url: "${mariadb.url("shop")}", query: "SELECT id + 0 AS id, price FROM typed", decimal: string } }
        node: { labels: [${label}Exact], key: [id], properties: { price: price } }
`);
    const summary = await runIn(driver, workDir(), yaml);
    expect(summary.error).toBeUndefined();
    expect(summary.exitCode).toBe(0);
    const [row] = await query(
      driver,
      `MATCH (n:${label}) MATCH (e:${label}Exact)
       RETURN toString(n.id) AS id, [k IN $columns | valueType(n[k])] AS types, n.flag AS flag, n.small AS small, n.medium AS medium, n.year_ AS year, n.bit1 AS bit1, n.bits AS bits,
              n.price AS price, n.ratio AS ratio, n.exact AS exact, toString(n.day) AS day, toString(n.local_) AS local, n.stamp = datetime('1996-07-04T08:15:30.25Z') AS stamp,
              toString(n.clock) AS clock, n.doc AS doc, n.code AS code, n.name AS name, n.body AS body, n.kind AS kind, n.raw AS raw, n.bin AS bin, n.empty AS empty,
              'nothing' IN keys(n) AS hasNothing, e.price AS exactPrice, valueType(e.price) AS exactType, toString(e.id) AS exactId`,
      { columns: ["id", ...columns] },
    );
    expect(row).toEqual({
      id: "9223372036854775807",
      types: [
        "INTEGER NOT NULL",
        "BOOLEAN NOT NULL",
        "INTEGER NOT NULL",
        "INTEGER NOT NULL",
        "INTEGER NOT NULL",
        "BOOLEAN NOT NULL",
        "INTEGER NOT NULL",
        "FLOAT NOT NULL",
        "FLOAT NOT NULL",
        "FLOAT NOT NULL",
        "DATE NOT NULL",
        "LOCAL DATETIME NOT NULL",
        "ZONED DATETIME NOT NULL",
        "LOCAL TIME NOT NULL",
        "STRING NOT NULL",
        "STRING NOT NULL",
        "STRING NOT NULL",
        "STRING NOT NULL",
        "STRING NOT NULL",
        // Byte arrays: Cypher's types have no name of their own for them; the driver reads them back as Int8Array.
        "LIST<INTEGER NOT NULL> NOT NULL",
        "LIST<INTEGER NOT NULL> NOT NULL",
        "STRING NOT NULL",
      ],
      flag: true,
      small: int(-7),
      medium: int(16777215),
      year: int(2024),
      bit1: true,
      bits: int(5),
      price: 12345678901234567890.1234,
      ratio: 1.5,
      exact: 0.1,
      day: "1996-02-29",
      local: "1996-07-04T10:15:30.250001",
      stamp: true,
      clock: "23:59:59.5",
      doc: '{"k": [1, 2], "s": "é"}',
      code: "abc",
      name: "Zoë",
      body: "long text",
      kind: "b",
      raw: new Int8Array([0, -1, 16]),
      bin: new Int8Array([10, 11]),
      empty: "",
      hasNothing: false,
      exactPrice: "12345678901234567890.1234",
      exactType: "STRING NOT NULL",
      exactId: "9223372036854775807",
    });
  });

  it("pages by keyset with 64-bit keys beyond 2^53 bound exactly", async () => {
    const { label, name } = names("MyPaged");
    const yaml = pipeline(name, `
      - name: paged
        source:
          mysql:
            url: "${mariadb.url("shop")}"
            query: "SELECT id, name FROM paged WHERE id > $1 AND name <> '$2' ORDER BY id LIMIT $2"
            keyset: { column: id, after: 0, page: 10 }
        node: { labels: [${label}], key: [id], properties: { name: name } }
`);
    const summary = await runIn(driver, workDir(), yaml);
    expect(summary.error).toBeUndefined();
    expect(summary.stages[0].tasks[0]).toMatchObject({ rowsRead: 77, rowsWritten: 77 });
    const [row] = await query(driver, `MATCH (p:${label}) RETURN toFloat(count(DISTINCT p.id)) AS n, toString(min(p.id)) AS first, toString(max(p.id)) AS last`);
    expect(row).toEqual({ n: 77, first: String(BASE + 1n), last: String(BASE + 77n) });
  });

  it("reads only the rows added since the last run: a TIMESTAMP watermark bound at UTC as $3 after keyset's $1 and $2", async () => {
    const { label, name } = names("MyEvents");
    const table = label.toLowerCase();
    // Written at UTC: the server's own zone is -03:30.
    const add = (from: number, to: number) =>
      mariadb.sql(
        `SET time_zone = '+00:00'; INSERT INTO ${table} SELECT seq, TIMESTAMP '2024-01-01 00:00:00.123456' + INTERVAL (seq DIV 10) SECOND, CONCAT('event ', seq) FROM seq_${from}_to_${to};`,
        "shop",
      );
    await mariadb.sql(`CREATE TABLE ${table} (id BIGINT PRIMARY KEY, updated_at TIMESTAMP(6) NOT NULL, name VARCHAR(20));`, "shop");
    await add(1, 99);
    const yaml = pipeline(name, `
      - name: events
        source:
          mysql:
            url: "${mariadb.url("shop")}"
            query: "SELECT id, updated_at, name FROM ${table} WHERE updated_at > $3 AND id > $1 ORDER BY id LIMIT $2"
            keyset: { column: id, after: 0, page: 20 }
            incremental: { column: updated_at, initial: "2000-01-01T00:00:00Z" }
        node: { labels: [${label}], key: [id], properties: { name: name, updatedAt: updated_at } }
`);
    const dir = workDir();
    const watermark = async () =>
      (await query(driver, "MATCH (w:GraphloadWatermark {pipeline: $name, task: 'events'}) RETURN toString(w.value) AS value, valueType(w.value) AS type", { name }))[0];
    const first = await runIn(driver, dir, yaml);
    expect(first.exitCode).toBe(0);
    expect(first.stages[0].tasks[0].rowsRead).toBe(99);
    expect(await watermark()).toEqual({ value: "2024-01-01T00:00:09.123456Z", type: "ZONED DATETIME NOT NULL" });

    await add(100, 160);
    const second = await runIn(driver, dir, yaml);
    expect(second.stages[0].tasks[0].rowsRead).toBe(61);
    expect(await watermark()).toEqual({ value: "2024-01-01T00:00:16.123456Z", type: "ZONED DATETIME NOT NULL" });
    const [graph] = await query(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS n, toFloat(count(DISTINCT n.id)) AS ids`);
    expect(graph).toEqual({ n: 160, ids: 160 });
    expect((await runIn(driver, dir, yaml)).stages[0].tasks[0].rowsRead).toBe(0);
  });

  it("streams: the first rows of a 100-million-row result come while the server is still sending, and leaving early ends the query", async () => {
    const huge = "SELECT seq, CONCAT('row ', seq) AS name FROM seq_1_to_100000000";
    const running = async () => Number(await mariadb.sql(`SELECT COUNT(*) FROM information_schema.processlist WHERE info = "${huge}"`));
    const source = openSource({ kind: "mysql", url: mariadb.url("shop"), query: huge, fetchSize: 100, decimal: "float" });
    let read = 0;
    for await (const chunk of source.chunks()) {
      read += chunk.length;
      if (read < 1000) continue;
      expect(await running()).toBe(1);
      break;
    }
    expect(read).toBeGreaterThanOrEqual(1000);
    for (let attempt = 0; (await running()) > 0; attempt++) {
      expect(attempt).toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it("rejects a row whose value Neo4j cannot hold into the dead-letter file, the URL's password masked", async () => {
    const { label, name } = names("MySpan");
    const dir = workDir();
    const yaml = pipeline(name, `
      - name: spans
        source: { mysql: { url: "${mariadb.url("shop")}", query: "SELECT * FROM spans ORDER BY id" } }
        node: { labels: [${label}], key: [id], properties: { span: span, day: day } }
`);
    const summary = await runIn(driver, dir, yaml);
    expect(summary.exitCode).toBe(3);
    expect(summary.stages[0].tasks[0]).toMatchObject({ rowsRead: 3, rowsWritten: 2, rowsRejected: 1 });
    const rejected = readFileSync(join(dir, "rejected.jsonl"), "utf8");
    const [dead] = rejected.trim().split("\n").map((line) => JSON.parse(line));
    expect(dead).toMatchObject({ code: "GL_BAD_VALUE", source: expect.stringContaining(":***@127.0.0.1") });
    expect(dead.message).toMatch(/column span: TIME -25:00:00 is no time of day/);
    expect(rejected).not.toContain(mariadb.password);
    const rows = await query(driver, `MATCH (n:${label}) RETURN n.id AS id, toString(n.span) AS span, n.day IS NULL AS noDay ORDER BY id`);
    expect(rows).toEqual([
      { id: int(1), span: "12:00:00", noDay: false },
      { id: int(3), span: "00:00:00", noDay: true },
    ]);
  });

  it("names the source without its password when the query fails", async () => {
    const { label, name } = names("MyFail");
    const yaml = pipeline(name, `
      - name: broken
        source: { mysql: { url: "${mariadb.url("shop")}", query: "SELECT * FROM no_such_table" } }
        node: { labels: [${label}], key: [id], properties: {} }
`);
    const summary = await runIn(driver, workDir(), yaml);
    expect(summary.error?.message).toMatch(/:\*\*\*@127\.0\.0\.1.*no_such_table/);
    expect(summary.error?.message).not.toContain(mariadb.password);
  });

  it("resumes a killed keyset migration exactly, nothing written twice; a CSV run never loads mysql2", async () => {
    const { label, name } = names("MySeries");
    const rows = 30_000;
    await mariadb.sql(`CREATE TABLE ${label} (id BIGINT PRIMARY KEY, v VARCHAR(20)); INSERT INTO ${label} SELECT seq, CONCAT('v', seq) FROM seq_1_to_${rows};`, "shop");
    const dir = workDir({ "probe.cjs": `process.on("exit", () => { if (Object.keys(require("module")._cache).some((file) => file.includes("/node_modules/mysql2/"))) process.stderr.write("mysql2 loaded\\n"); });` });
    writeFileSync(
      join(dir, "series.yaml"),
      `
version: 1
name: ${name}
defaults: { batchSize: 500, concurrency: 2, mode: create }
stages:
  - name: nodes
    tasks:
      - name: series
        source:
          mysql:
            url: "${mariadb.url("shop")}"
            query: "SELECT id, v FROM ${label} WHERE id > $1 ORDER BY id LIMIT $2"
            fetchSize: 100
            keyset: { column: id, after: 0, page: 2000 }
        node: { labels: [${label}], key: [id], properties: { v: v } }
`,
    );
    const env = { NODE_OPTIONS: `--require ${join(dir, "probe.cjs")}` };
    const run = startGraphload(["run", "series.yaml"], { cwd: dir, env });
    await until(async () => (await query<{ n: number }>(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS n`))[0].n >= 3000, 20);
    run.child.kill("SIGKILL");
    await run.exited;
    const [{ before }] = await query<{ before: number }>(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS before`);
    expect(before).toBeLessThan(rows);

    const resumed = await graphload(["run", "series.yaml", "--resume"], { cwd: dir, env });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain("mysql2 loaded");
    const [graph] = await query(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS n, toFloat(count(DISTINCT n.id)) AS ids, toFloat(sum(n.id)) AS sum`);
    expect(graph).toEqual({ n: rows, ids: rows, sum: (rows * (rows + 1)) / 2 });

    writeFileSync(join(dir, "plain.csv"), "id\n1\n");
    writeFileSync(join(dir, "plain.yaml"), `version: 1\nname: mysql-csv-${label}\nstages: [{ name: n, tasks: [{ name: t, source: { file: plain.csv }, node: { labels: [${label}Csv], key: [id] } }] }]\n`);
    const csv = await graphload(["run", "plain.yaml"], { cwd: dir, env });
    expect(csv.code).toBe(0);
    expect(csv.stderr).not.toContain("mysql2 loaded");
  });
});
