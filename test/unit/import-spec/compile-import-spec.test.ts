import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileImportSpec, isImportSpec } from "../../../src/import-spec/compile-import-spec.js";
import { parsePipeline } from "../../../src/load/load-pipeline.js";
import { buildPlan } from "../../../src/plan/build-plan.js";
import type { PipelineValidationError } from "../../../src/model/validation-issue.js";

const url = "postgresql://u@127.0.0.1:5432/shop";
const options = { file: "/specs/shop spec.yaml", dataSources: { shop: url }, env: {} };
const source = (name: string) => ({ name, type: "jdbc", data_source: "shop", sql: `SELECT * FROM ${name}` });
const node = (name: string, label: string, extra: object = {}) => ({
  name,
  source: name,
  labels: [label],
  properties: [{ source_field: `${name}_id`, target_property: "id", target_property_type: "integer" }],
  schema: { unique_constraints: [{ name: `${name}_id`, label, properties: ["id"] }] },
  ...extra,
});

describe("compiling an import specification", () => {
  it("recognises version \"1\" documents with targets", () => {
    expect(isImportSpec({ version: "1", sources: [], targets: {} })).toBe(true);
    expect(isImportSpec({ version: 1, stages: [] })).toBe(false);
  });

  it("orders actions, dependent targets and kinds into stages, the schema apart", () => {
    const { document, schema, issues, warnings } = compileImportSpec(
      {
        version: "1",
        sources: [source("people"), source("teams"), source("members"), source("audit")],
        targets: {
          nodes: [node("people", "Person", { depends_on: ["teams"] }), node("teams", "Team", { write_mode: "CREATE" }), node("gone", "Gone", { active: false })],
          relationships: [
            {
              name: "members",
              source: "members",
              type: "MEMBER_OF",
              start_node_reference: { name: "people", key_mappings: [{ source_field: "member", node_property: "id" }] },
              end_node_reference: "teams",
              node_match_mode: "MERGE",
            },
          ],
          queries: [{ name: "audit", source: "audit", query: "UNWIND $rows AS row CREATE (:Audit {at: row.at})" }],
        },
        actions: [
          { name: "hello", type: "cypher", stage: "START", query: "RETURN 1" },
          { name: "bye", type: "cypher", stage: "end", query: "RETURN 2" },
          { name: "ping", type: "http", stage: "end", url: "http://x" },
        ],
      },
      options,
    );
    expect(issues).toEqual([]);
    expect(document.name).toBe("shop-spec");
    expect(document.stages!.map((stage) => [stage.name, stage.statements ?? stage.tasks!.map((task) => task.name)])).toEqual([
      ["start", ["RETURN 1"]],
      ["nodes", ["teams"]],
      ["nodes-2", ["people"]],
      ["relationships", ["members"]],
      ["queries", ["audit"]],
      ["end", ["RETURN 2"]],
    ]);
    const tasks = document.stages!.flatMap((stage) => stage.tasks ?? []);
    expect(tasks.find((task) => task.name === "teams")).toMatchObject({ mode: "create", source: { postgres: { url, query: "SELECT * FROM teams" } } });
    expect(tasks.find((task) => task.name === "people")?.node).toEqual({ labels: ["Person"], key: ["id"], properties: { id: { column: "people_id", type: "integer" } } });
    expect(tasks.find((task) => task.name === "members")?.relationship).toMatchObject({
      from: { label: "Person", key: { id: "member" } },
      to: { label: "Team", key: { id: "teams_id" } },
    });
    expect(tasks.find((task) => task.name === "audit")?.cypher?.trim()).toBe("CREATE (:Audit {at: row.at})");
    expect(warnings.join("\n")).toMatch(/node_match_mode merge[\s\S]*action type "http"/);
    // The inactive target's constraint is not among them.
    expect(schema).toEqual([
      { kind: "unique", name: "people_id", on: { labels: ["Person"] }, properties: ["id"] },
      { kind: "unique", name: "teams_id", on: { labels: ["Team"] }, properties: ["id"] },
    ]);
  });

  it("declares every constraint and index of the active targets, for the run's schema step", () => {
    const { schema, warnings } = compileImportSpec(
      {
        version: "1",
        sources: [source("people"), source("knows")],
        targets: {
          nodes: [
            {
              name: "people",
              source: "people",
              labels: ["Person", "Agent"],
              properties: [
                { source_field: "id", target_property: "id", target_property_type: "integer" },
                { source_field: "name", target_property: "name", target_property_type: "STRING" },
                { source_field: "v", target_property: "v", target_property_type: { name: "float_vector", dimension: 3 } },
              ],
              schema: {
                vector_indexes: [{ name: "person_v", label: "Person", property: "v", options: { "vector.dimensions": 3, "vector.similarity_function": "cosine" } }],
                type_constraints: [
                  { name: "person_name_type", label: "Person", property: "name" },
                  { name: "person_v_type", label: "Person", property: "v" },
                ],
                key_constraints: [{ name: "person_key", label: "Person", properties: ["id"], options: { indexProvider: "range-1.0" } }],
                fulltext_indexes: [{ name: "person_text", labels: ["Person", "Agent"], properties: ["name"], options: { indexConfig: { "fulltext.analyzer": "english" } } }],
                existence_constraints: [{ name: "person_name_exists", label: "Person", property: "name" }],
              },
            },
          ],
          relationships: [
            {
              name: "knows",
              source: "knows",
              type: "KNOWS",
              start_node_reference: "people",
              end_node_reference: "people",
              properties: [{ source_field: "since", target_property: "since", target_property_type: "date_array" }],
              schema: {
                range_indexes: [{ name: "knows_since", properties: ["since"] }],
                type_constraints: [{ name: "knows_since_type", property: "since" }],
                unique_constraints: [{ name: "knows_since_unique", properties: ["since"] }],
              },
            },
          ],
        },
      },
      options,
    );
    // A target's constraints come before its indexes; the vector index's settings go under indexConfig.
    expect(schema).toEqual([
      { kind: "key", name: "person_key", on: { labels: ["Person"] }, properties: ["id"], options: { indexProvider: "range-1.0" } },
      { kind: "existence", name: "person_name_exists", on: { labels: ["Person"] }, properties: ["name"] },
      { kind: "type", name: "person_name_type", on: { labels: ["Person"] }, properties: ["name"], propertyType: "STRING" },
      { kind: "fulltext", name: "person_text", on: { labels: ["Person", "Agent"] }, properties: ["name"], options: { indexConfig: { "fulltext.analyzer": "english" } } },
      {
        kind: "vector",
        name: "person_v",
        on: { labels: ["Person"] },
        properties: ["v"],
        options: { indexConfig: { "vector.dimensions": 3, "vector.similarity_function": "cosine" } },
      },
      { kind: "unique", name: "knows_since_unique", on: { type: "KNOWS" }, properties: ["since"] },
      { kind: "type", name: "knows_since_type", on: { type: "KNOWS" }, properties: ["since"], propertyType: "LIST<DATE NOT NULL>" },
      { kind: "range", name: "knows_since", on: { type: "KNOWS" }, properties: ["since"] },
    ]);
    expect(warnings).toEqual([
      '$.targets.nodes[0].schema.key_constraints[0]: key constraint "person_key" (NODE KEY) needs Neo4j Enterprise; on Community a uniqueness constraint "person_key" on the same properties is created instead',
      '$.targets.nodes[0].schema.existence_constraints[0]: existence constraint "person_name_exists" needs Neo4j Enterprise; Community refuses it, so it is not created there',
      '$.targets.nodes[0].schema.type_constraints[0]: type constraint "person_name_type" needs Neo4j Enterprise; Community refuses it, so it is not created there',
      '$.targets.nodes[0].schema.type_constraints[1]: type constraint "person_v_type": Neo4j 5 has no property type constraint for FLOAT_VECTOR; it is not created',
      '$.targets.relationships[0].schema.type_constraints[0]: type constraint "knows_since_type" needs Neo4j Enterprise; Community refuses it, so it is not created there',
    ]);
  });

  it("reads text sources as inline rows", () => {
    const { document, issues } = compileImportSpec(
      {
        version: "1",
        sources: [{ name: "t", type: "text", header: ["id"], data: [[1], [2]] }],
        targets: { nodes: [{ name: "n", source: "t", labels: ["N"], properties: [{ source_field: "id", target_property: "id" }] }] },
      },
      options,
    );
    expect(issues).toEqual([]);
    expect(document.stages![0].tasks![0].source).toEqual({ inline: { header: ["id"], data: [[1], [2]] } });
  });

  it("reads text sources at a uri as CSV or TSV files, relative to the specification", () => {
    const { document, issues } = compileImportSpec(
      {
        version: "1",
        sources: [
          { name: "a", type: "text", uri: "data/people.csv" },
          { name: "b", type: "text", uri: "file:///data/teams.tsv", format: "TSV", ordered_field_names: "id, name" },
          { name: "c", type: "text", uri: "gs://bucket/x.csv" },
        ],
        targets: {
          nodes: ["a", "b"].map((name) => ({ name, source: name, labels: ["N"], properties: [{ source_field: "id", target_property: "id" }] })),
        },
      },
      options,
    );
    expect(issues.map((issue) => `${issue.path} ${issue.code}`)).toEqual(["$.sources[2].uri GL_UNSUPPORTED_SOURCE"]);
    const [a, b] = document.stages![0].tasks!;
    expect(a.source).toEqual({ file: "/specs/data/people.csv", format: "csv" });
    expect(b.source).toEqual({ file: "/data/teams.tsv", format: "tsv", header: false, columns: ["id", "name"] });
  });

  it("reads MySQL and MariaDB data sources, from the environment or a file it names, as mysql sources", () => {
    const file = join(mkdtempSync(join(tmpdir(), "graphload-spec-")), "url");
    writeFileSync(file, "mariadb://u:pw@127.0.0.1:3306/shop\n");
    const spec = { version: "1", sources: [source("people")], targets: { nodes: [{ name: "p", source: "people", labels: ["P"], properties: [{ source_field: "id", target_property: "id" }] }] } };
    const fromEnv = compileImportSpec(spec, { ...options, dataSources: {}, env: { GRAPHLOAD_DATA_SOURCE_SHOP: "jdbc:mysql://u:pw@127.0.0.1:3306/shop" } });
    expect(fromEnv.issues).toEqual([]);
    expect(fromEnv.document.stages![0].tasks![0].source).toEqual({ mysql: { url: "mysql://u:pw@127.0.0.1:3306/shop", query: "SELECT * FROM people" } });
    const fromFile = compileImportSpec(spec, { ...options, dataSources: {}, env: { GRAPHLOAD_DATA_SOURCE_SHOP_FILE: file } });
    expect(fromFile.document.stages![0].tasks![0].source).toEqual({ mysql: { url: "mariadb://u:pw@127.0.0.1:3306/shop", query: "SELECT * FROM people" } });
  });

  it("reports what it cannot run, each at its path", () => {
    const { issues } = compileImportSpec(
      {
        version: "1",
        sources: [{ name: "files", type: "bigquery" }, { name: "other", type: "jdbc", data_source: "elsewhere", sql: "SELECT 1" }],
        targets: { relationships: [{ name: "r", source: "other", type: "R", start_node_reference: "nobody", end_node_reference: "nobody" }] },
      },
      options,
    );
    expect(issues.map((issue) => `${issue.path} ${issue.code}`)).toEqual([
      "$.sources[0].type GL_UNSUPPORTED_SOURCE",
      "$.sources[1].data_source GL_DATA_SOURCE_UNSET",
      "$.targets.relationships[0].start_node_reference GL_UNKNOWN_TARGET",
      "$.targets.relationships[0].end_node_reference GL_UNKNOWN_TARGET",
    ]);
  });

  it("names a target by its place among all targets of its kind, inactive ones included", () => {
    const { issues } = compileImportSpec(
      {
        version: "1",
        sources: [source("a"), source("b")],
        targets: {
          nodes: [node("a", "A", { active: false })],
          relationships: [
            { name: "off", active: false, source: "a", type: "R", start_node_reference: "a", end_node_reference: "a" },
            { name: "r", source: "b", type: "R", start_node_reference: "nobody", end_node_reference: "nobody" },
          ],
        },
      },
      options,
    );
    expect(issues.map((issue) => issue.path)).toEqual(["$.targets.relationships[1].start_node_reference", "$.targets.relationships[1].end_node_reference"]);
  });
});

describe("loading an import specification", () => {
  it("checks it against import-spec's own JSON Schema first, every violation at its path", () => {
    const text = `
version: "1"
sources: [{ name: s, type: jdbc, data_source: shop, sql: "SELECT 1" }]
targets:
  nodes:
    - { name: n, source: s, write_mode: upsert, properties: [{ source_field: a, target_property: a }] }
`;
    let issues: readonly { path: string; code: string }[] = [];
    try {
      parsePipeline(text, { baseDir: "/tmp", env: {}, dataSources: { shop: "postgresql://x@127.0.0.1/shop" } });
    } catch (error) {
      issues = (error as PipelineValidationError).issues;
    }
    expect(issues.map((issue) => `${issue.path} ${issue.code}`)).toEqual(
      expect.arrayContaining(["$.targets.nodes[0].labels GL_MISSING_SETTING", "$.targets.nodes[0].write_mode GL_INVALID_VALUE"]),
    );
  });

  it("compiles the example specifications unchanged", async () => {
    const { readFileSync } = await import("node:fs");
    for (const name of ["northwind-spec.yaml", "northwind-with-reverse-rels-spec.yaml"]) {
      const file = new URL(`../../../fixtures/import-spec/${name}`, import.meta.url).pathname;
      const pipeline = parsePipeline(readFileSync(file, "utf8"), { file, env: {}, dataSources: { northwind: "postgresql://x@127.0.0.1/northwind" } });
      expect(pipeline.stages.map((stage) => stage.name)).toEqual(["nodes", "relationships"]);
      expect(pipeline.warnings?.join("\n")).toContain("NODE KEY");
      // The key constraints, with the uniqueness constraints Community makes of them, serve graphload's merges and lookups.
      expect(buildPlan(pipeline).schema.map((operation) => operation.cypher)).toEqual([
        "CREATE CONSTRAINT `product_name_key_constraint` IF NOT EXISTS FOR (n:`Product`) REQUIRE n.`name` IS NODE KEY",
        "CREATE CONSTRAINT `product_name_key_constraint` IF NOT EXISTS FOR (n:`Product`) REQUIRE n.`name` IS UNIQUE",
        "CREATE CONSTRAINT `category_name_key_constraint` IF NOT EXISTS FOR (n:`Category`) REQUIRE n.`name` IS NODE KEY",
        "CREATE CONSTRAINT `category_name_key_constraint` IF NOT EXISTS FOR (n:`Category`) REQUIRE n.`name` IS UNIQUE",
      ]);
    }
  });
});
