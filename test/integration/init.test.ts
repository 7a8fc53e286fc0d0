import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseCsv } from "csv-parse/sync";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { pipelineJsonSchemaText } from "../../src/schema/pipeline-json-schema.js";
import { graphload } from "../support/cli.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, workDir } from "../support/run-fixture.js";
import { vegaFile } from "../support/vega-datasets.js";

const driver = openDriver();
afterAll(() => driver.close());

const root = fileURLToPath(new URL("../../", import.meta.url));
const rowsOf = (file: string): Array<Record<string, string>> => parseCsv(readFileSync(file), { columns: true, bom: true, delimiter: file.endsWith(".tsv") ? "\t" : "," });
const distinct = (rows: Array<Record<string, string>>, ...columns: string[]): number => new Set(rows.map((row) => columns.map((column) => row[column]).join("\u0000"))).size;

type Document = { name: string; stages: Array<{ tasks?: Array<Record<string, Record<string, unknown>>> }> };

/**
 * Drafts a pipeline with `graphload init`, checks it with `graphload plan` as written, then
 * runs it with every label and type given a suffix of its own, as tests share one database.
 * Returns the suffixed name of a label or type.
 */
async function initPlanRun(inputs: string[]): Promise<{ draft: string; named: (name: string) => string }> {
  const dir = workDir();
  const init = await graphload(["init", ...inputs, "-o", "draft.yaml"], { cwd: dir });
  expect(init.stderr).not.toContain("error");
  expect(init.code).toBe(0);
  expect(init.stdout).toMatch(/^drafted \d+ node tasks? and \d+ relationship tasks? from \d+ files? in \d+ ms: draft\.yaml/);
  const draft = readFileSync(join(dir, "draft.yaml"), "utf8");

  const plan = await graphload(["plan", "draft.yaml", "--rows", "5"], { cwd: dir });
  expect(plan.stderr).toBe("");
  expect(plan.code).toBe(0);
  expect(plan.stdout).not.toContain("rejected");

  const suffix = uniqueLabel("Init").slice("Init".length);
  const named = (name: string): string => `${name}${suffix}`;
  const document = parse(draft) as Document;
  document.name = `init${suffix.replace(/_/g, "-")}`;
  for (const task of document.stages.flatMap((stage) => stage.tasks ?? [])) {
    if (task.node) task.node.labels = (task.node.labels as string[]).map(named);
    const relationship = task.relationship as { type: string; from: { label: string }; to: { label: string } } | undefined;
    if (relationship) {
      relationship.type = named(relationship.type);
      relationship.from.label = named(relationship.from.label);
      relationship.to.label = named(relationship.to.label);
    }
  }
  writeFileSync(join(dir, "run.yaml"), stringify(document));
  const run = await graphload(["run", "run.yaml", "--no-progress", "--summary-json", "summary.json"], { cwd: dir });
  expect(run.stderr).not.toContain("error");
  expect(run.code).toBe(0);
  const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
  expect(summary.totals).toMatchObject({ rowsRejected: 0, rowsUnmatched: 0 });
  return { draft, named };
}

const count = async (pattern: string): Promise<number> => Number((await query(driver, `MATCH ${pattern} RETURN count(*) AS n`))[0].n);

describe("graphload init, then plan and run as drafted", () => {
  it("loads Northwind: nodes per file, typed values, and the relationships its key columns imply", async () => {
    const { named } = await initPlanRun([join(root, "fixtures/northwind")]);
    const table = (name: string) => rowsOf(join(root, "fixtures/northwind", `${name}.csv`));
    const products = table("products");
    const orders = table("orders");
    const details = table("order-details");
    expect(await count(`(:${named("Product")})`)).toBe(distinct(products, "productID"));
    expect(await count(`(:${named("Order")})`)).toBe(distinct(orders, "orderID"));
    expect(await count(`(:${named("Customer")})`)).toBe(distinct(table("customers"), "customerID"));
    expect(await count(`(:${named("OrderDetail")})`)).toBe(distinct(details, "orderID", "productID"));
    expect(await count(`(:${named("Territory")})`)).toBe(distinct(table("territories"), "territoryID"));

    expect(await count(`(:${named("Product")})-[:${named("CATEGORY")}]->(:${named("Category")})`)).toBe(products.length);
    expect(await count(`(:${named("Product")})-[:${named("SUPPLIER")}]->(:${named("Supplier")})`)).toBe(products.length);
    expect(await count(`(:${named("Order")})-[:${named("CUSTOMER")}]->(:${named("Customer")})`)).toBe(orders.length);
    expect(await count(`(:${named("Order")})-[:${named("SHIP_VIA")}]->(:${named("Shipper")})`)).toBe(orders.length);
    expect(await count(`(:${named("OrderDetail")})-[:${named("PRODUCT")}]->(:${named("Product")})`)).toBe(details.length);
    expect(await count(`(:${named("Territory")})-[:${named("REGION")}]->(:${named("Region")})`)).toBe(table("territories").length);

    const [values] = await query(
      driver,
      `MATCH (o:${named("Order")} {orderID: 10248})-[:${named("CUSTOMER")}]->(c:${named("Customer")})
       MATCH (t:${named("Territory")} {territoryID: '01581'})
       RETURN valueType(o.orderID) AS orderID, valueType(o.orderDate) AS orderDate, o.orderDate = date('1996-07-04') AS sameDate,
              valueType(o.freight) AS freight, c.customerID AS customer, o.shipRegion IS NULL AS regionUnset, t.territoryDescription AS territory`,
    );
    expect(values).toEqual({
      orderID: "INTEGER NOT NULL",
      orderDate: "DATE NOT NULL",
      sameDate: true,
      freight: "FLOAT NOT NULL",
      customer: "VINET",
      regionUnset: true,
      territory: "Westboro",
    });
  });

  it("loads the airports and routes of vega-datasets, with points, NA as null and both ends of every route", async () => {
    const { named } = await initPlanRun([join(root, "fixtures/airports/airports.csv"), join(root, "fixtures/airports/flights-airport.csv")]);
    const airports = rowsOf(join(root, "fixtures/airports/airports.csv"));
    const routes = rowsOf(join(root, "fixtures/airports/flights-airport.csv"));
    expect(await count(`(:${named("Airport")})`)).toBe(distinct(airports, "iata"));
    expect(await count(`(:${named("FlightsAirport")})-[:${named("ORIGIN")}]->(:${named("Airport")})`)).toBe(routes.length);
    expect(await count(`(:${named("FlightsAirport")})-[:${named("DESTINATION")}]->(:${named("Airport")})`)).toBe(routes.length);
    expect(await count(`(a:${named("Airport")}) WHERE a.state IS NULL`)).toBe(airports.filter((row) => row.state === "NA").length);
    const [atl] = await query(
      driver,
      `MATCH (a:${named("Airport")} {iata: 'ATL'}) RETURN valueType(a.location) AS location, a.location.latitude AS latitude, valueType(a.latitude) AS type`,
    );
    expect(atl).toEqual({ location: "POINT NOT NULL", latitude: Number(airports.find((row) => row.iata === "ATL")!.latitude), type: "FLOAT NOT NULL" });
  });

  it("loads more of vega-datasets: people linked by name, and datetimes in a format of their own", async () => {
    const files = ["lookup_people.csv", "lookup_groups.csv", "github.csv", "seattle-weather.csv"].map(vegaFile);
    const { draft, named } = await initPlanRun(files);
    expect(draft).toContain('time: { column: time, type: localdatetime, format: "yyyy/MM/dd HH:mm:ss" }');
    expect(await count(`(:${named("LookupGroup")})-[:${named("PERSON")}]->(:${named("LookupPerson")})`)).toBe(rowsOf(files[1]).length);
    const [values] = await query(
      driver,
      `MATCH (g:${named("Github")}) WITH g ORDER BY g.time LIMIT 1
       MATCH (w:${named("SeattleWeather")} {date: date('2012-01-01')})
       RETURN valueType(g.time) AS time, toString(g.time) AS first, valueType(w.temp_max) AS tempMax, toFloat(count(w)) AS days`,
    );
    expect(values).toEqual({ time: "LOCAL DATETIME NOT NULL", first: "2015-01-01T01:00:00", tempMax: "FLOAT NOT NULL", days: 1 });
  });
});

describe("graphload init and schema on the command line", () => {
  it("writes the schema line of the file the build ships, and prints that schema", async () => {
    const dir = workDir({ "people.csv": "id,name\n1,Ada\n" });
    const init = await graphload(["init", "people.csv"], { cwd: dir });
    expect(init.code).toBe(0);
    const [first] = readFileSync(join(dir, "pipeline.yaml"), "utf8").split("\n");
    // Relative to the pipeline where graphload is near it, absolute otherwise: either way the shipped file.
    const schemaFile = resolve(dir, first.replace("# yaml-language-server: $schema=", ""));
    expect(schemaFile).toBe(join(root, "dist/pipeline.schema.json"));
    expect(JSON.parse(readFileSync(schemaFile, "utf8"))).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", title: "graphload pipeline" });
    const schema = await graphload(["schema"]);
    expect(schema.code).toBe(0);
    expect(schema.stdout).toBe(pipelineJsonSchemaText());
    const written = await graphload(["schema", "-o", "schema.json"], { cwd: dir });
    expect(written.code).toBe(0);
    expect(readFileSync(join(dir, "schema.json"), "utf8")).toBe(pipelineJsonSchemaText());
  });

  it("refuses to overwrite a pipeline, and says what it skipped", async () => {
    const dir = workDir({ "people.csv": "id,name\n1,Ada\n", "notes.txt": "not data", "pipeline.yaml": "# mine\n" });
    const refused = await graphload(["init", "."], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("pipeline.yaml exists already");
    expect(readFileSync(join(dir, "pipeline.yaml"), "utf8")).toBe("# mine\n");
    const forced = await graphload(["init", ".", "--force", "--name", "people"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/skipped .*notes\.txt: no CSV, TSV or JSON Lines data/);
    expect(readFileSync(join(dir, "pipeline.yaml"), "utf8")).toContain("name: people");
    const toStdout = await graphload(["init", "people.csv", "-o", "-"], { cwd: dir });
    expect(toStdout.stdout).toContain("labels: [Person]");
  });
});
