import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { initPipeline, type InitResult } from "../../../src/init/init-pipeline.js";
import { readSample, SAMPLE_BYTES } from "../../../src/init/read-sample.js";
import { loadPipeline } from "../../../src/load/load-pipeline.js";
import type { Pipeline, Task } from "../../../src/model/pipeline.js";
import { buildPlan } from "../../../src/plan/build-plan.js";
import { previewRows } from "../../../src/plan/preview-rows.js";
import { pipelineJsonSchema } from "../../../src/schema/pipeline-json-schema.js";
import { vegaFile } from "../../support/vega-datasets.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const validateSchema = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(pipelineJsonSchema());

/** Drafts a pipeline into a fresh folder and loads it as `plan` would; the draft must pass as written. */
async function draft(inputs: string[]): Promise<{ result: InitResult; pipeline: Pipeline }> {
  const output = join(mkdtempSync(join(tmpdir(), "graphload-init-")), "pipeline.yaml");
  const result = await initPipeline(inputs, { output });
  writeFileSync(output, result.text);
  expect(result.issues).toEqual([]);
  expect(validateSchema(parse(result.text))).toBe(true);
  const pipeline = await loadPipeline(output, { env: {} });
  // plan converts a few rows of every task: none may be rejected.
  for (const stage of buildPlan(pipeline).stages) {
    if (stage.kind !== "tasks") continue;
    for (const task of stage.tasks) for (const line of await previewRows(task, 5)) expect(line).not.toContain("rejected");
  }
  return { result, pipeline };
}

const tasks = (pipeline: Pipeline): Task[] => pipeline.stages.flatMap((stage) => (stage.kind === "tasks" ? stage.tasks : []));

function node(pipeline: Pipeline, label: string) {
  const target = tasks(pipeline).find((task) => task.target.kind === "node" && task.target.labels.includes(label))?.target;
  if (target?.kind !== "node") throw new Error(`no node task for ${label}`);
  const property = (name: string) => {
    const field = [...target.key, ...target.properties].find((candidate) => candidate.property === name);
    return field && "column" in field ? { type: field.type && `${field.type.scalar}${field.type.list ? "[]" : ""}`, format: field.format } : field;
  };
  return { key: target.key.map((field) => field.property), property };
}

/** Each relationship task as `From.column -TYPE-> To`. */
function links(pipeline: Pipeline): string[] {
  return tasks(pipeline).flatMap(({ target }) => {
    if (target.kind !== "relationship") return [];
    const [toKey] = target.to.key;
    return [`${target.from.label}.${"column" in toKey ? toKey.column : "?"} -${String(target.type)}-> ${target.to.label}`];
  });
}

describe("graphload init on public data", () => {
  it("drafts Northwind: typed numbers and dates, keys, NULL as null, and the links its key columns imply", async () => {
    const { result, pipeline } = await draft([join(root, "fixtures/northwind")]);
    expect(result.skipped.map((file) => file.slice(root.length))).toEqual(["fixtures/northwind/README.md"]);
    expect(pipeline.name).toBe("northwind");
    const orders = node(pipeline, "Order");
    expect(orders.key).toEqual(["orderID"]);
    expect(orders.property("orderID")).toEqual({ type: "integer", format: undefined });
    expect(orders.property("orderDate")).toEqual({ type: "date", format: "yyyy-MM-dd HH:mm:ss.SSS" });
    expect(orders.property("freight")).toEqual({ type: "float", format: undefined });
    expect(node(pipeline, "Product").property("unitPrice")).toEqual({ type: "float", format: undefined });
    // Territory ids keep their leading zeros.
    expect(node(pipeline, "Territory").property("territoryID")).toEqual({ type: undefined, format: undefined });
    expect(node(pipeline, "OrderDetail").key).toEqual(["orderID", "productID"]);
    expect(node(pipeline, "EmployeeTerritory").key).toEqual(["employeeID", "territoryID"]);
    expect(tasks(pipeline).find((task) => task.name === "orders")?.settings.nullValues).toEqual(["", "NULL"]);
    expect(links(pipeline).sort()).toEqual([
      "EmployeeTerritory.employeeID -EMPLOYEE-> Employee",
      "EmployeeTerritory.territoryID -TERRITORY-> Territory",
      "Order.customerID -CUSTOMER-> Customer",
      "Order.employeeID -EMPLOYEE-> Employee",
      "Order.shipVia -SHIP_VIA-> Shipper",
      "OrderDetail.orderID -ORDER-> Order",
      "OrderDetail.productID -PRODUCT-> Product",
      "Product.categoryID -CATEGORY-> Category",
      "Product.supplierID -SUPPLIER-> Supplier",
      "Territory.regionID -REGION-> Region",
    ]);
    // Not linked, but said: employees.reportsTo holds employee ids, as small numbers hold many keys.
    expect(result.text).toMatch(/reportsTo: \{ column: reportsTo, type: integer \} .*a hierarchy\?/);
  });

  it("drafts the airports and flights of vega-datasets: codes as keys, NA as null, coordinates as a point, routes as links", async () => {
    const { result, pipeline } = await draft([join(root, "fixtures/airports/airports.csv"), join(root, "fixtures/airports/flights-airport.csv")]);
    const airports = node(pipeline, "Airport");
    expect(airports.key).toEqual(["iata"]);
    expect(airports.property("latitude")).toEqual({ type: "float", format: undefined });
    expect(airports.property("location")).toMatchObject({ type: { scalar: "point" }, columns: { latitude: "latitude", longitude: "longitude" } });
    expect(tasks(pipeline).find((task) => task.name === "airports")?.settings.nullValues).toEqual(["", "NA"]);
    expect(node(pipeline, "FlightsAirport").key).toEqual(["origin", "destination"]);
    expect(node(pipeline, "FlightsAirport").property("count")).toEqual({ type: "integer", format: undefined });
    expect(links(pipeline)).toEqual(["FlightsAirport.origin -ORIGIN-> Airport", "FlightsAirport.destination -DESTINATION-> Airport"]);
    expect(result.text).toContain("reads like a link table between Airport and Airport");
  });

  it("drafts more of vega-datasets: a link by names in text, and a datetime in a format of its own", async () => {
    const { pipeline } = await draft(["lookup_people.csv", "lookup_groups.csv", "github.csv", "seattle-weather.csv"].map(vegaFile));
    expect(node(pipeline, "LookupPerson").key).toEqual(["name"]);
    expect(links(pipeline)).toEqual(["LookupGroup.person -PERSON-> LookupPerson"]);
    expect(node(pipeline, "Github").property("time")).toEqual({ type: "localdatetime", format: "yyyy/MM/dd HH:mm:ss" });
    expect(node(pipeline, "SeattleWeather").key).toEqual(["date"]);
    expect(node(pipeline, "SeattleWeather").property("date")).toEqual({ type: "date", format: undefined });
    expect(node(pipeline, "SeattleWeather").property("temp_max")).toEqual({ type: "float", format: undefined });
  });

  it("samples a large file instead of reading it, from its start and further on; a gzip file from its start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "graphload-init-"));
    const rows = 400_000;
    const lines = ["id,code,when"];
    for (let i = 1; i <= rows; i++) lines.push(`${i},C${String(i % 977).padStart(4, "0")},2024-01-${String((i % 28) + 1).padStart(2, "0")}`);
    const text = `${lines.join("\n")}\n`;
    writeFileSync(join(dir, "big.csv"), text);
    writeFileSync(join(dir, "big.csv.gz"), gzipSync(text));
    expect(text.length).toBeGreaterThan(20 * SAMPLE_BYTES);

    const sample = await readSample(join(dir, "big.csv"), "big.csv");
    expect(sample.complete).toBe(false);
    expect(sample.rows.length).toBeLessThan(rows / 20);
    // Rows from the end of the file too, whole ones.
    expect(sample.rows.some((row) => Number(row[0]) > rows * 0.9)).toBe(true);
    expect(sample.rows.every((row) => row.length === 3 && /^\d+$/.test(String(row[0])))).toBe(true);
    expect(Math.abs(sample.estimatedRows - rows) / rows).toBeLessThan(0.1);

    const gzipped = await readSample(join(dir, "big.csv.gz"), "big.csv.gz");
    expect(gzipped).toMatchObject({ complete: false, gzip: true, format: "csv" });
    expect(gzipped.rows.length).toBeLessThan(rows / 20);

    const started = performance.now();
    const { result } = await draft([join(dir, "big.csv")]);
    // Bounded by the sample, not the file; generous, as test machines are shared.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.text).toMatch(/key: \[id\] +# unique and never empty in \d+ sampled rows; named like an id/);
    expect(result.text).toContain("when: { column: when, type: date }");
  });
});

describe("init and Parquet", () => {
  it("says a Parquet file is written by hand, and sets a folder's Parquet files aside with its other files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "graphload-init-parquet-"));
    writeFileSync(join(dir, "orders.parquet"), "PAR1");
    writeFileSync(join(dir, "people.csv"), "id,name\n1,Ada\n2,Alan\n");
    await expect(readSample(join(dir, "orders.parquet"), "orders.parquet")).rejects.toMatchObject({ code: "GL_UNKNOWN_FORMAT", message: expect.stringMatching(/Parquet.*source: \{ file: orders\.parquet \}/) });
    const { result } = await draft([dir]);
    expect(result.skipped).toEqual([join(dir, "orders.parquet")]);
    expect(result.text).toContain("people.csv");
  });
});
