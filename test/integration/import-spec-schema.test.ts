import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphload } from "../support/cli.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, workDir } from "../support/run-fixture.js";

// The shared server: every label, type and schema name is this file's own, and dropped afterwards.
const person = uniqueLabel("SpecPerson");
const agent = uniqueLabel("SpecAgent");
const knows = uniqueLabel("SPEC_KNOWS");
const prefix = uniqueLabel("spec").toLowerCase();
const name = (suffix: string): string => `${prefix}_${suffix}`;

const spec = `
version: "1"
sources:
  - name: people_rows
    type: text
    header: [id, name, bio, place, embedding]
    data:
      - [1, "Ann", "writes about graphs", null, null]
      - [2, "Bob", "reads about graphs", null, null]
  - name: knows_rows
    type: text
    header: [from, to, id, code, since, note, at, embedding]
    data:
      - [1, 2, 10, "k-10", null, "met at a conference", null, null]
targets:
  nodes:
    - name: people
      source: people_rows
      labels: [${person}, ${agent}]
      properties:
        - { source_field: id, target_property: id, target_property_type: integer }
        - { source_field: name, target_property: name, target_property_type: string }
        - { source_field: bio, target_property: bio }
        - { source_field: place, target_property: place, target_property_type: point }
        - { source_field: embedding, target_property: embedding, target_property_type: float_array }
      schema:
        key_constraints: [{ name: ${name("person_key")}, label: ${person}, properties: [id] }]
        existence_constraints: [{ name: ${name("person_name_exists")}, label: ${person}, property: name }]
        type_constraints: [{ name: ${name("person_name_type")}, label: ${person}, property: name }]
        range_indexes: [{ name: ${name("person_name_range")}, label: ${person}, properties: [name] }]
        text_indexes: [{ name: ${name("person_bio_text")}, label: ${person}, property: bio, options: { indexProvider: text-2.0 } }]
        point_indexes:
          - name: ${name("person_place_point")}
            label: ${person}
            property: place
            options: { indexConfig: { spatial.cartesian.min: [-100.0, -100.0], spatial.cartesian.max: [100.0, 100.0] } }
        fulltext_indexes:
          - { name: ${name("person_text")}, labels: [${person}, ${agent}], properties: [name, bio], options: { indexConfig: { fulltext.analyzer: english } } }
        vector_indexes:
          - { name: ${name("person_embedding")}, label: ${person}, property: embedding, options: { vector.dimensions: 3, vector.similarity_function: cosine } }
  relationships:
    - name: knows
      source: knows_rows
      type: ${knows}
      start_node_reference: { name: people, key_mappings: [{ source_field: from, node_property: id }] }
      end_node_reference: { name: people, key_mappings: [{ source_field: to, node_property: id }] }
      properties:
        - { source_field: id, target_property: id, target_property_type: integer }
        - { source_field: code, target_property: code, target_property_type: string }
        - { source_field: since, target_property: since, target_property_type: date }
        - { source_field: note, target_property: note }
        - { source_field: at, target_property: at, target_property_type: point }
        - { source_field: embedding, target_property: embedding, target_property_type: float_array }
      schema:
        key_constraints: [{ name: ${name("knows_key")}, properties: [id] }]
        unique_constraints: [{ name: ${name("knows_code")}, properties: [code] }]
        existence_constraints: [{ name: ${name("knows_since_exists")}, property: since }]
        type_constraints: [{ name: ${name("knows_since_type")}, property: since }]
        range_indexes: [{ name: ${name("knows_since_range")}, properties: [since, note] }]
        text_indexes: [{ name: ${name("knows_note_text")}, property: note }]
        point_indexes: [{ name: ${name("knows_at_point")}, property: at }]
        fulltext_indexes: [{ name: ${name("knows_text")}, properties: [note, code] }]
        vector_indexes:
          - { name: ${name("knows_embedding")}, property: embedding, options: { indexConfig: { vector.dimensions: 3, vector.similarity_function: euclidean } } }
`;

let driver: Driver;

beforeAll(() => {
  driver = openDriver();
});
afterAll(async () => {
  if (!driver) return;
  for (const { name } of await query<{ name: string }>(driver, "SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH $prefix RETURN name", { prefix })) {
    await driver.executeQuery(`DROP CONSTRAINT \`${name}\` IF EXISTS`);
  }
  for (const { name } of await query<{ name: string }>(driver, "SHOW INDEXES YIELD name WHERE name STARTS WITH $prefix RETURN name", { prefix })) {
    await driver.executeQuery(`DROP INDEX \`${name}\` IF EXISTS`);
  }
  await driver.executeQuery(`MATCH (n:\`${person}\`) DETACH DELETE n`);
  await driver.close();
});

interface Shown {
  name: string;
  type: string;
  entityType: string;
  labelsOrTypes: string[];
  properties: string[];
  options?: Record<string, unknown>;
}

/** Index options as plain values: the driver's integers are `{low, high}`. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    if ("low" in value && "high" in value) return Number((value as { toNumber(): number }).toNumber());
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, plain(entry)]));
  }
  return value;
}

async function schema(): Promise<{ constraints: Shown[]; indexes: Shown[] }> {
  const constraints = await query<Shown>(
    driver,
    "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties WHERE any(t IN labelsOrTypes WHERE t IN $owned) RETURN * ORDER BY name",
    { owned: [person, agent, knows] },
  );
  const indexes = await query<Shown>(
    driver,
    "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, options, owningConstraint WHERE any(t IN labelsOrTypes WHERE t IN $owned) AND owningConstraint IS NULL RETURN name, type, entityType, labelsOrTypes, properties, options ORDER BY name",
    { owned: [person, agent, knows] },
  );
  return { constraints: constraints.map((row) => ({ ...row })), indexes: indexes.map((row) => ({ ...row, options: plain(row.options) as Record<string, unknown> })) };
}

describe("an import specification's schema on Neo4j Community", () => {
  it("creates every index and the uniqueness constraints, keys as uniqueness, and warns of what needs Enterprise", async () => {
    const dir = workDir({ "spec.yaml": spec });
    const plan = await graphload(["plan", "spec.yaml", "--rows", "0"], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(
      `CREATE FULLTEXT INDEX \`${name("person_text")}\` IF NOT EXISTS FOR (n:\`${person}\`|\`${agent}\`) ON EACH [n.\`name\`, n.\`bio\`] OPTIONS {\`indexConfig\`: {\`fulltext.analyzer\`: 'english'}}`,
    );
    expect(plan.stdout).not.toContain("graphload_");

    const first = await graphload(["run", "spec.yaml", "--no-progress"], { cwd: dir });
    expect(first.code).toBe(0);
    for (const item of ["person_key", "person_name_exists", "person_name_type", "knows_key", "knows_since_exists", "knows_since_type"]) {
      expect(first.stderr).toContain(`"${name(item)}"`);
    }
    // The server's own refusals, one per Enterprise-only constraint, in the summary.
    expect(first.stdout.match(/^schema not created: /gm)).toHaveLength(6);
    expect(first.stdout.match(/requires Neo4j Enterprise Edition/g)).toHaveLength(6);

    const { constraints, indexes } = await schema();
    expect(constraints).toEqual([
      { name: name("knows_code"), type: "RELATIONSHIP_UNIQUENESS", entityType: "RELATIONSHIP", labelsOrTypes: [knows], properties: ["code"] },
      { name: name("knows_key"), type: "RELATIONSHIP_UNIQUENESS", entityType: "RELATIONSHIP", labelsOrTypes: [knows], properties: ["id"] },
      { name: name("person_key"), type: "UNIQUENESS", entityType: "NODE", labelsOrTypes: [person], properties: ["id"] },
    ]);
    expect(indexes.map(({ options, ...index }) => index)).toEqual([
      { name: name("knows_at_point"), type: "POINT", entityType: "RELATIONSHIP", labelsOrTypes: [knows], properties: ["at"] },
      { name: name("knows_embedding"), type: "VECTOR", entityType: "RELATIONSHIP", labelsOrTypes: [knows], properties: ["embedding"] },
      { name: name("knows_note_text"), type: "TEXT", entityType: "RELATIONSHIP", labelsOrTypes: [knows], properties: ["note"] },
      { name: name("knows_since_range"), type: "RANGE", entityType: "RELATIONSHIP", labelsOrTypes: [knows], properties: ["since", "note"] },
      { name: name("knows_text"), type: "FULLTEXT", entityType: "RELATIONSHIP", labelsOrTypes: [knows], properties: ["note", "code"] },
      { name: name("person_bio_text"), type: "TEXT", entityType: "NODE", labelsOrTypes: [person], properties: ["bio"] },
      { name: name("person_embedding"), type: "VECTOR", entityType: "NODE", labelsOrTypes: [person], properties: ["embedding"] },
      { name: name("person_name_range"), type: "RANGE", entityType: "NODE", labelsOrTypes: [person], properties: ["name"] },
      { name: name("person_place_point"), type: "POINT", entityType: "NODE", labelsOrTypes: [person], properties: ["place"] },
      { name: name("person_text"), type: "FULLTEXT", entityType: "NODE", labelsOrTypes: [person, agent], properties: ["name", "bio"] },
    ]);
    const options = Object.fromEntries(indexes.map((index) => [index.name.slice(prefix.length + 1), index.options]));
    expect(options.person_bio_text).toMatchObject({ indexProvider: "text-2.0" });
    expect(options.person_place_point).toMatchObject({ indexConfig: { "spatial.cartesian.min": [-100, -100], "spatial.cartesian.max": [100, 100] } });
    expect(options.person_text).toMatchObject({ indexConfig: { "fulltext.analyzer": "english" } });
    expect(options.person_embedding).toMatchObject({ indexConfig: { "vector.dimensions": 3, "vector.similarity_function": "COSINE" } });
    expect(options.knows_embedding).toMatchObject({ indexConfig: { "vector.dimensions": 3, "vector.similarity_function": "EUCLIDEAN" } });

    const [written] = await query<{ people: unknown; links: unknown }>(
      driver,
      `RETURN COUNT { (:\`${person}\`:\`${agent}\`) } AS people, COUNT { (:\`${person}\`)-[:\`${knows}\` {code: 'k-10'}]->(:\`${person}\`) } AS links`,
    );
    expect({ people: Number(written.people), links: Number(written.links) }).toEqual({ people: 2, links: 1 });

    // Again: everything there already, nothing new, the same refusals.
    const second = await graphload(["run", "spec.yaml", "--no-progress"], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain("schema created");
    expect(await schema()).toEqual({ constraints, indexes });
  });
});
