import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/load/load-pipeline.js";
import { runPipeline } from "../../src/run/run-pipeline.js";
import { diffSnapshots, readSnapshot, type SnapshotSpec } from "../support/graph-snapshot.js";
import { dropLabels, fillPlaceholders, runCypherScript, stageForLoadCsv } from "../support/load-csv.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { workDir } from "../support/run-fixture.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const driver = openDriver();
afterAll(() => driver.close());

interface Dataset {
  readonly name: string;
  /** The folder of the data files, staged where the server's LOAD CSV reads them. */
  readonly files: string;
  /** Reference LOAD CSV script and the pipeline meant to build the same graph. */
  readonly script: string;
  readonly pipeline: string;
  readonly graph: SnapshotSpec;
}

const DATASETS: readonly Dataset[] = [
  {
    name: "northwind",
    files: "fixtures/northwind",
    script: "pipelines/comparison/northwind.cypher",
    pipeline: "pipelines/comparison/northwind.yaml",
    graph: {
      nodes: {
        Product: "productID",
        Category: "categoryID",
        Supplier: "supplierID",
        Customer: "customerID",
        Order: "orderID",
        Employee: "employeeID",
        Shipper: "shipperID",
      },
      relationships: ["PART_OF", "SUPPLIES", "PURCHASED", "SOLD", "SHIPPED_VIA", "ORDERS"],
    },
  },
  {
    name: "airports",
    files: "fixtures/airports",
    script: "pipelines/comparison/airports.cypher",
    pipeline: "pipelines/comparison/airports.yaml",
    graph: { nodes: { Airport: "iata", State: "code" }, relationships: ["IN_STATE", "FLIES_TO"] },
  },
];

/**
 * Each data set is loaded twice into one database, by its reference LOAD CSV script and by
 * graphload, under labels with different suffixes; the two graphs must be the same down
 * to each property's valueType().
 */
describe("graphload against LOAD CSV", () => {
  it.each(DATASETS)("$name: the pipeline builds the graph of the reference script", async (dataset) => {
    const reference = `_${uniqueLabel("ref")}`;
    const loaded = `_${uniqueLabel("gl")}`;
    const labels = Object.keys(dataset.graph.nodes).flatMap((label) => [label + reference, label + loaded]);
    const staged = await stageForLoadCsv(driver, join(root, dataset.files));
    const dir = workDir();
    try {
      const script = readFileSync(join(root, dataset.script), "utf8");
      await runCypherScript(driver, fillPlaceholders(script, { LABEL_SUFFIX: reference, IMPORT_URL: staged.url }));

      const pipeline = await loadPipeline(join(root, dataset.pipeline), { env: { ...process.env, LABEL_SUFFIX: loaded } });
      const deadLetterFile = join(dir, "rejected.jsonl");
      const summary = (await runPipeline(pipeline, { driver, deadLetterFile })).toJSON();
      const rejected = summary.totals.rowsRejected > 0 ? readFileSync(deadLetterFile, "utf8").split("\n").slice(0, 3).join("\n") : "";
      expect({ exitCode: summary.exitCode, error: summary.error }, rejected).toEqual({ exitCode: 0, error: undefined });

      const expected = await readSnapshot(driver, dataset.graph, reference);
      const actual = await readSnapshot(driver, dataset.graph, loaded);
      // An empty reference would make the comparison pass for nothing.
      for (const [label, nodes] of Object.entries(expected.nodes)) expect(nodes.count, `${label} nodes`).toBeGreaterThan(0);
      for (const [type, relationships] of Object.entries(expected.relationships)) expect(relationships.count, `${type} relationships`).toBeGreaterThan(0);
      expect(diffSnapshots(expected, actual, { names: ["LOAD CSV", "graphload"], limit: 30 })).toEqual([]);
    } finally {
      await staged.remove();
      await rm(dir, { recursive: true, force: true });
      await dropLabels(driver, labels);
    }
  });
});
