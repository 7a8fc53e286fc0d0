import { describe, expect, it } from "vitest";
import { declaredSchema } from "../../../src/plan/declared-schema.js";
import { operationName, schemaOperations } from "../../../src/plan/schema-operations.js";
import type { SchemaItem } from "../../../src/model/pipeline.js";
import { pipelineOf } from "../../support/plan-task.js";

const files = { "rows.csv": "id,name,kind,org\n" };
const people = `
name: people
source: { file: rows.csv }
node: { labels: [Person], key: [id, org] }
`;
const works = `
name: works
source: { file: rows.csv }
relationship:
  type: WORKS_AT
  from: { label: Person, key: { org: org, id: id } }
  to: { label: Company, key: { name: name } }
`;
const suspects = `
name: suspects
source: { file: rows.csv }
relationship:
  type: { column: kind }
  from: { label: Case, key: { id: id } }
  to: { label: Drug, key: { name: name }, merge: true }
`;

describe("schema operations", () => {
  it("make a constraint of every merge key and an index of every lookup, once each", () => {
    const operations = schemaOperations(pipelineOf([people, works, suspects], files));
    expect(operations).toEqual([
      {
        kind: "constraint",
        name: "graphload_Person_id_org_unique",
        cypher: "CREATE CONSTRAINT graphload_Person_id_org_unique IF NOT EXISTS FOR (n:`Person`) REQUIRE (n.`id`, n.`org`) IS UNIQUE",
        description: "uniqueness of (:Person {id, org})",
      },
      {
        kind: "constraint",
        name: "graphload_Drug_name_unique",
        cypher: "CREATE CONSTRAINT graphload_Drug_name_unique IF NOT EXISTS FOR (n:`Drug`) REQUIRE n.`name` IS UNIQUE",
        description: "uniqueness of (:Drug {name})",
      },
      {
        kind: "index",
        name: "graphload_Company_name_index",
        cypher: "CREATE INDEX graphload_Company_name_index IF NOT EXISTS FOR (n:`Company`) ON (n.`name`)",
        description: "lookups of (:Company {name})",
      },
      {
        kind: "index",
        name: "graphload_Case_id_index",
        cypher: "CREATE INDEX graphload_Case_id_index IF NOT EXISTS FOR (n:`Case`) ON (n.`id`)",
        description: "lookups of (:Case {id})",
      },
    ]);
  });

  it("are none with schema: { create: false }", () => {
    expect(schemaOperations(pipelineOf([people, works], files, "schema: { create: false }\n"))).toEqual([]);
  });

  it("index a node merged on several labels on its first label, unless a task merges that label alone", () => {
    const animals = `
name: cats
source: { file: rows.csv }
node: { labels: [Animal, Cat], key: [id] }
`;
    expect(schemaOperations(pipelineOf([animals], files)).map((operation) => operation.cypher)).toEqual([
      "CREATE INDEX graphload_Animal_id_index IF NOT EXISTS FOR (n:`Animal`) ON (n.`id`)",
    ]);
    const alone = animals.replace("name: cats", "name: animals").replace("[Animal, Cat]", "[Animal]");
    expect(schemaOperations(pipelineOf([animals, alone], files)).map((operation) => operation.name)).toEqual(["graphload_Animal_id_unique"]);
  });

  it("leave out create mode nodes, and labels from columns unless their values are known", () => {
    const created = people.replace("node:", "mode: create\nnode:");
    expect(schemaOperations(pipelineOf([created], files))).toEqual([]);
    const kinds = `
name: things
source: { file: rows.csv }
node: { labels: [{ column: kind, values: { a: Apple, p: Pear } }], key: [id] }
`;
    expect(schemaOperations(pipelineOf([kinds], files)).map((operation) => operation.name)).toEqual(["graphload_Apple_id_unique", "graphload_Pear_id_unique"]);
    expect(schemaOperations(pipelineOf([kinds.replace(/, values: \{[^}]*\}/, "")], files))).toEqual([]);
  });

  it("leave out what the pipeline's own statements create", () => {
    const statements = [
      "CREATE CONSTRAINT person IF NOT EXISTS FOR (p:Person) REQUIRE (p.org, p.id) IS UNIQUE",
      "CREATE INDEX company FOR (c:`Company`) ON (c.`name`)",
    ];
    const pipeline = pipelineOf([people, works], files);
    const withStatements = { ...pipeline, stages: [{ kind: "statements" as const, name: "schema", statements }, ...pipeline.stages] };
    expect(schemaOperations(withStatements)).toEqual([]);
  });

  it("create what the pipeline declares by name, each kind in its own form, constraints first and before graphload's own", () => {
    const declared: SchemaItem[] = [
      { kind: "text", name: "person_bio", on: { labels: ["Person"] }, properties: ["bio"] },
      { kind: "unique", name: "person_key", on: { labels: ["Person"] }, properties: ["org", "id"] },
      { kind: "key", name: "works_key", on: { type: "WORKS_AT" }, properties: ["since"] },
      { kind: "existence", name: "person_name", on: { labels: ["Person"] }, properties: ["name"] },
      { kind: "type", name: "person_name_type", on: { labels: ["Person"] }, properties: ["name"], propertyType: "LIST<ZONED DATETIME NOT NULL>" },
      { kind: "fulltext", name: "names", on: { labels: ["Person", "Company"] }, properties: ["name", "bio"], options: { indexConfig: { "fulltext.analyzer": "english" } } },
      { kind: "vector", name: "works_v", on: { type: "WORKS_AT" }, properties: ["v"], options: { indexConfig: { "vector.dimensions": 3, "vector.similarity_function": "cosine" } } },
      { kind: "point", name: "odd", on: { labels: ["Big Cat"] }, properties: ["at"], options: { indexConfig: { "spatial.cartesian.min": [-1.5, -2] }, note: "it's" } },
    ];
    const pipeline = pipelineOf([people, works], files);
    const operations = schemaOperations({ ...pipeline, schema: { create: true, declared } });
    expect(operations.map((operation) => `${operation.kind} ${operation.name}: ${operation.description}\n${operation.cypher}`)).toEqual([
      "constraint person_key: uniqueness of (:Person {org, id})\nCREATE CONSTRAINT `person_key` IF NOT EXISTS FOR (n:`Person`) REQUIRE (n.`org`, n.`id`) IS UNIQUE",
      "constraint works_key: key of ()-[:WORKS_AT {since}]-(), Neo4j Enterprise only\nCREATE CONSTRAINT `works_key` IF NOT EXISTS FOR ()-[r:`WORKS_AT`]-() REQUIRE r.`since` IS RELATIONSHIP KEY",
      "constraint works_key: uniqueness of ()-[:WORKS_AT {since}]-(), for its key on Neo4j Community\nCREATE CONSTRAINT `works_key` IF NOT EXISTS FOR ()-[r:`WORKS_AT`]-() REQUIRE r.`since` IS UNIQUE",
      "constraint person_name: existence of (:Person {name}), Neo4j Enterprise only\nCREATE CONSTRAINT `person_name` IF NOT EXISTS FOR (n:`Person`) REQUIRE n.`name` IS NOT NULL",
      "constraint person_name_type: type of (:Person {name}) :: LIST<ZONED DATETIME NOT NULL>, Neo4j Enterprise only\nCREATE CONSTRAINT `person_name_type` IF NOT EXISTS FOR (n:`Person`) REQUIRE n.`name` IS :: LIST<ZONED DATETIME NOT NULL>",
      // graphload's own constraint on (:Person {id, org}) is the declared one, in another order.
      "index person_bio: text index on (:Person {bio})\nCREATE TEXT INDEX `person_bio` IF NOT EXISTS FOR (n:`Person`) ON (n.`bio`)",
      "index names: full-text index on (:Person|Company {name, bio})\nCREATE FULLTEXT INDEX `names` IF NOT EXISTS FOR (n:`Person`|`Company`) ON EACH [n.`name`, n.`bio`] OPTIONS {`indexConfig`: {`fulltext.analyzer`: 'english'}}",
      "index works_v: vector index on ()-[:WORKS_AT {v}]-()\nCREATE VECTOR INDEX `works_v` IF NOT EXISTS FOR ()-[r:`WORKS_AT`]-() ON (r.`v`) OPTIONS {`indexConfig`: {`vector.dimensions`: 3, `vector.similarity_function`: 'cosine'}}",
      "index odd: point index on (:Big Cat {at})\nCREATE POINT INDEX `odd` IF NOT EXISTS FOR (n:`Big Cat`) ON (n.`at`) OPTIONS {`indexConfig`: {`spatial.cartesian.min`: [-1.5, -2]}, `note`: 'it\\'s'}",
      "index graphload_Company_name_index: lookups of (:Company {name})\nCREATE INDEX graphload_Company_name_index IF NOT EXISTS FOR (n:`Company`) ON (n.`name`)",
    ]);
    expect(schemaOperations({ ...pipeline, schema: { create: false, declared } })).toEqual([]);
  });

  it("take a declared key constraint or range index on a label and properties for graphload's own, and no other kind", () => {
    const pipeline = pipelineOf([people, works], files);
    const names = (declared: SchemaItem[]) => schemaOperations({ ...pipeline, schema: { create: true, declared } }).map((operation) => operation.name);
    const on = (labels: string[], properties: string[]) => ({ on: { labels }, properties });
    expect(names([{ kind: "key", name: "k", ...on(["Person"], ["id", "org"]) }, { kind: "range", name: "r", ...on(["Company"], ["name"]) }])).toEqual(["k", "k", "r"]);
    expect(names([{ kind: "text", name: "t", ...on(["Company"], ["name"]) }, { kind: "unique", name: "u", ...on(["Person"], ["id"]) }])).toEqual([
      "u",
      "graphload_Person_id_org_unique",
      "t",
      "graphload_Company_name_index",
    ]);
  });

  it("name operations deterministically, hashing names that had to change", () => {
    expect(operationName("Person", ["id"], "unique")).toBe("graphload_Person_id_unique");
    const odd = operationName("Big Cat", ["id"], "unique");
    expect(odd).toMatch(/^graphload_Big_Cat_id_[0-9a-f]{8}_unique$/);
    expect(operationName("Big_Cat", ["id"], "unique")).toBe("graphload_Big_Cat_id_unique");
    expect(odd).toBe(operationName("Big Cat", ["id"], "unique"));
    const long = operationName("L".repeat(100), ["p"], "index");
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/_[0-9a-f]{8}_index$/);
  });
});

describe("declared schema", () => {
  it("recognises node uniqueness constraints, node keys and range indexes in their usual forms", () => {
    expect(
      declaredSchema([
        "CREATE CONSTRAINT product_id IF NOT EXISTS FOR (p:Product) REQUIRE p.productID IS UNIQUE",
        "create constraint FOR (n:`Big Cat`) REQUIRE (n.`a`, n.b) IS NODE KEY",
        "CREATE RANGE INDEX x IF NOT EXISTS\n  FOR (n:L) ON (n.a, n.`b``c`)",
        "CREATE TEXT INDEX t FOR (n:L) ON (n.name)",
        "CREATE CONSTRAINT FOR ()-[r:T]-() REQUIRE r.id IS UNIQUE",
        "MATCH (n) RETURN n",
      ]),
    ).toEqual([
      { label: "Product", properties: ["productID"] },
      { label: "Big Cat", properties: ["a", "b"] },
      { label: "L", properties: ["a", "b`c"] },
    ]);
  });
});
