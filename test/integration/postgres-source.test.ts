import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { startPostgres, type StartedPostgres } from "../support/postgres.js";
import { query, runIn, workDir } from "../support/run-fixture.js";

const driver = openDriver();
let postgres: StartedPostgres;
const dump = fileURLToPath(new URL("../../fixtures/northwind-postgres/northwind.sql", import.meta.url));

beforeAll(async () => {
  postgres = await startPostgres();
  await postgres.psql("postgres", { sql: "CREATE DATABASE northwind" });
  await postgres.psql("northwind", { file: dump });
  await postgres.psql("northwind", {
    sql: `CREATE TABLE typed (id int8 PRIMARY KEY, small int2, num numeric(10,3), real4 float4, flag bool, day date, stamp timestamp, stampz timestamptz,
            ints int4[], words text[], doc jsonb, nothing text);
          INSERT INTO typed VALUES (9007199254740993, 7, 12.345, 1.5, true, '1996-07-04', '1996-07-04 10:15:30.25', '1996-07-04 10:15:30+02',
            '{1,2,3}', '{"a b",c}', '{"k": [1, 2]}', NULL);`,
  });
});
afterAll(async () => {
  await postgres?.stop();
  await driver.close();
});

describe("a PostgreSQL source", () => {
  it("migrates Northwind's products and categories, counts and values exact", async () => {
    const product = uniqueLabel("Product");
    const category = uniqueLabel("Category");
    const partOf = uniqueLabel("PART_OF");
    const url = postgres.url("northwind");
    const yaml = `
version: 1
name: postgres-${product}
stages:
  - name: schema
    statements:
      - CREATE CONSTRAINT ${product}_id IF NOT EXISTS FOR (p:${product}) REQUIRE p.productID IS UNIQUE
      - CREATE CONSTRAINT ${category}_id IF NOT EXISTS FOR (c:${category}) REQUIRE c.categoryID IS UNIQUE
  - name: nodes
    tasks:
      - name: products
        source: { postgres: { url: "${url}", query: "SELECT * FROM products", fetchSize: 10 } }
        node:
          labels: [${product}]
          key: [productID]
          properties: { productID: productid, productName: productname, unitPrice: unitprice, discontinued: discontinued, unitsInStock: unitsinstock }
      - name: categories
        source: { postgres: { url: "${url}", query: "SELECT categoryid, categoryname, description FROM categories" } }
        node: { labels: [${category}], key: [categoryID], properties: { categoryID: categoryid, name: categoryname, description: description } }
  - name: relationships
    tasks:
      - name: part-of
        source: { postgres: { url: "${url}", query: "SELECT productid, categoryid FROM products" } }
        relationship:
          type: ${partOf}
          from: { label: ${product}, key: { productID: productid } }
          to: { label: ${category}, key: { categoryID: categoryid } }
`;
    const summary = await runIn(driver, workDir(), yaml);
    expect(summary.error).toBeUndefined();
    expect(summary.exitCode).toBe(0);
    const [sourceCounts] = (await postgres.psql("northwind", { sql: "COPY (SELECT (SELECT count(*) FROM products) || ',' || (SELECT count(*) FROM categories)) TO STDOUT" }))
      .trim()
      .split("\n");
    const [products, categories] = sourceCounts.split(",").map(Number);
    expect(products).toBe(77);
    const [graph] = await query(
      driver,
      `MATCH (p:${product}) WITH toFloat(count(p)) AS products
       MATCH (c:${category}) WITH products, toFloat(count(c)) AS categories
       MATCH (:${product})-[r:${partOf}]->(:${category}) RETURN products, categories, toFloat(count(r)) AS partOf`,
    );
    expect(graph).toEqual({ products, categories, partOf: products });
    const [chai] = await query(
      driver,
      `MATCH (p:${product} {productID: 1})-[:${partOf}]->(c:${category})
       RETURN p.productName AS name, p.unitPrice AS price, valueType(p.productID) AS idType, valueType(p.unitPrice) AS priceType,
              valueType(p.discontinued) AS flagType, c.name AS category`,
    );
    expect(chai).toEqual({ name: "Chai", price: 18, idType: "INTEGER NOT NULL", priceType: "FLOAT NOT NULL", flagType: "BOOLEAN NOT NULL", category: "Beverages" });
  });

  it("maps PostgreSQL's types to Neo4j's, and leaves NULL unset", async () => {
    const label = uniqueLabel("Typed");
    const yaml = `
version: 1
name: postgres-types-${label}
stages:
  - name: nodes
    tasks:
      - name: typed
        source: { postgres: { url: "${postgres.url("northwind")}", query: "SELECT * FROM typed" } }
        node:
          labels: [${label}]
          key: [id]
          properties: { small: small, num: num, real4: real4, flag: flag, day: day, stamp: stamp, stampz: stampz, ints: ints, words: words, doc: doc, nothing: nothing }
      - name: exact
        source: { postgres: { url: "${postgres.url("northwind")}", query: "SELECT id, num FROM typed", decimal: string } }
        node: { labels: [${label}Exact], key: [id], properties: { num: num } }
`;
    const summary = await runIn(driver, workDir(), yaml);
    expect(summary.error).toBeUndefined();
    const [exact] = await query(driver, `MATCH (n:${label}Exact) RETURN n.num AS num, valueType(n.num) AS type`);
    expect(exact).toEqual({ num: "12.345", type: "STRING NOT NULL" });
    const [row] = await query(
      driver,
      `MATCH (n:${label}) RETURN toString(n.id) AS id, [k IN ['id', 'small', 'num', 'real4', 'flag', 'day', 'stamp', 'stampz', 'ints', 'words', 'doc'] | valueType(n[k])] AS types,
              n.num AS num, toString(n.stamp) AS stamp, n.stampz.epochSeconds = datetime('1996-07-04T10:15:30+02:00').epochSeconds AS stampz, n.words AS words, n.doc AS doc, 'nothing' IN keys(n) AS hasNothing`,
    );
    expect(row).toEqual({
      id: "9007199254740993",
      types: [
        "INTEGER NOT NULL",
        "INTEGER NOT NULL",
        "FLOAT NOT NULL",
        "FLOAT NOT NULL",
        "BOOLEAN NOT NULL",
        "DATE NOT NULL",
        "LOCAL DATETIME NOT NULL",
        "ZONED DATETIME NOT NULL",
        "LIST<INTEGER NOT NULL> NOT NULL",
        "LIST<STRING NOT NULL> NOT NULL",
        "STRING NOT NULL",
      ],
      num: 12.345,
      stamp: "1996-07-04T10:15:30.25",
      stampz: true,
      words: ["a b", "c"],
      doc: '{"k": [1, 2]}',
      hasNothing: false,
    });
  });

  it("pages by keyset through the whole table", async () => {
    const label = uniqueLabel("Paged");
    const yaml = `
version: 1
name: postgres-keyset-${label}
stages:
  - name: nodes
    tasks:
      - name: products
        source:
          postgres:
            url: "${postgres.url("northwind")}"
            query: "SELECT productid, productname FROM products WHERE productid > $1 ORDER BY productid LIMIT $2"
            keyset: { column: productid, after: 0, page: 10 }
        node: { labels: [${label}], key: [productID], properties: { productID: productid, name: productname } }
`;
    const summary = await runIn(driver, workDir(), yaml);
    expect(summary.stages[0].tasks[0]).toMatchObject({ rowsRead: 77, rowsWritten: 77 });
    const [row] = await query(driver, `MATCH (p:${label}) RETURN toFloat(count(DISTINCT p.productID)) AS n`);
    expect(row.n).toBe(77);
  });

  it("resumes an interrupted keyset migration after the last committed key", async () => {
    const label = uniqueLabel("Series");
    const rows = 30_000;
    await postgres.psql("northwind", { sql: `CREATE TABLE ${label} AS SELECT g::int8 AS id, 'v' || g AS v FROM generate_series(1, ${rows}) AS g; ALTER TABLE ${label} ADD PRIMARY KEY (id);` });
    const yaml = `
version: 1
name: postgres-resume-${label}
defaults: { batchSize: 500, concurrency: 2, mode: create }
stages:
  - name: nodes
    tasks:
      - name: series
        source:
          postgres:
            url: "${postgres.url("northwind")}"
            query: "SELECT id, v FROM ${label} WHERE id > $1 ORDER BY id LIMIT $2"
            keyset: { column: id, after: 0, page: 2000 }
        node: { labels: [${label}], key: [id], properties: { v: v } }
`;
    const dir = workDir();
    const abort = new AbortController();
    const first = await runIn(driver, dir, yaml, {
      signal: abort.signal,
      onEvent: (event) => {
        if (event.type === "task-progress" && event.progress.batches >= 10) abort.abort();
      },
    });
    expect(first.status).toBe("stopped");
    const resumed = await runIn(driver, dir, yaml, { resume: true });
    const task = resumed.stages[0].tasks[0];
    expect(resumed.status).toBe("completed");
    expect(task.rowsBeforeResume).toBeGreaterThanOrEqual(5000);
    expect(task.rowsRead).toBe(rows - task.rowsBeforeResume);
    const [graph] = await query(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS n, toFloat(count(DISTINCT n.id)) AS ids, toFloat(sum(n.id)) AS sum`);
    expect(graph).toEqual({ n: rows, ids: rows, sum: (rows * (rows + 1)) / 2 });
  });
});
