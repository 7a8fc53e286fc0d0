import { describe, expect, it } from "vitest";
import { checkImportSpec, validateImportSpec } from "../../../src/import-spec/check-import-spec.js";
import { compileImportSpec } from "../../../src/import-spec/compile-import-spec.js";
import { SPEC_RULES } from "../../../src/import-spec/spec-rules.js";
import { parsePipeline } from "../../../src/load/load-pipeline.js";
import type { PipelineValidationError } from "../../../src/model/validation-issue.js";

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const source = (name: string) => ({ name, type: "jdbc", data_source: "shop", sql: `SELECT * FROM ${name}` });
const person = (extra: Loose = {}): Loose => ({
  name: "people",
  source: "people_rows",
  labels: ["Person"],
  properties: [
    { source_field: "id", target_property: "id", target_property_type: "integer" },
    { source_field: "name", target_property: "name" },
  ],
  schema: { key_constraints: [{ name: "person_id", label: "Person", properties: ["id"] }] },
  ...extra,
});
const knows = (extra: Loose = {}): Loose => ({
  name: "knows",
  source: "knows_rows",
  type: "KNOWS",
  start_node_reference: { name: "people", key_mappings: [{ source_field: "from", node_property: "id" }] },
  end_node_reference: { name: "people", key_mappings: [{ source_field: "to", node_property: "id" }] },
  ...extra,
});
// Sources, targets and actions share one namespace: the sources are "people_rows" and "knows_rows".
const spec = (targets: Loose, extra: Loose = {}): Loose => ({ version: "1", sources: [source("people_rows"), source("knows_rows")], targets, ...extra });
const found = (document: unknown) => checkImportSpec(document).map((issue) => `${issue.path} ${issue.code}`);

function refusal(text: string): readonly { path: string; code: string; message: string }[] {
  try {
    parsePipeline(text, { baseDir: "/tmp", env: {}, dataSources: { shop: "postgresql://x@127.0.0.1/shop" } });
  } catch (error) {
    return (error as PipelineValidationError).issues;
  }
  throw new Error("accepted");
}

describe("checking an import specification as import-spec does", () => {
  it("accepts a consistent specification", () => {
    expect(found(spec({ nodes: [person()], relationships: [knows()] }))).toEqual([]);
  });

  it("reports every problem at once, each at its path", () => {
    const document = spec(
      {
        nodes: [
          person({
            depends_on: ["nobody"],
            schema: {
              key_constraints: [{ name: "person_id", label: "Persn", properties: ["id"] }],
              range_indexes: [{ name: "by_age", label: "Person", properties: ["age"] }],
            },
          }),
        ],
      },
      { actions: [{ name: "people", type: "cypher", stage: "end", query: "  ", execution_mode: "later" }] }, // "people" names the node target too
    );
    expect(found(document)).toEqual([
      "$.targets.nodes[0].name GL_SPEC_DUPLICATE_NAME",
      "$.targets.nodes[0] GL_SPEC_UNKNOWN_DEPENDENCY",
      "$.targets.nodes[0].schema.key_constraints[0].label GL_SPEC_UNKNOWN_LABEL",
      "$.targets.nodes[0].schema.range_indexes[0].properties[0] GL_SPEC_UNMAPPED_PROPERTY",
      "$.actions[0].query GL_SPEC_BLANK_QUERY",
      "$.actions[0].execution_mode GL_SPEC_EXECUTION_MODE",
    ]);
  });

  it("says what is wrong in its own words", () => {
    const issues = checkImportSpec(spec({ nodes: [person({ schema: { key_constraints: [{ name: "person_id", label: "Person", properties: ["email"] }] } })] }));
    expect(issues).toEqual([
      {
        path: "$.targets.nodes[0].schema.key_constraints[0].properties[0]",
        code: "GL_SPEC_UNMAPPED_PROPERTY",
        message: 'the key constraint "person_id" is on property "email", which this target does not map (it maps "id", "name")',
      },
    ]);
  });

  it("reports a problem once, by the rule that names its cause", () => {
    // The key is on a property the node does not map: the relationships that look nodes up by it
    // are not also reported as referring to a node without a key.
    const document = spec({ nodes: [person({ schema: { key_constraints: [{ name: "k", label: "Person", properties: ["email"] }] } })], relationships: [knows()] });
    expect(found(document)).toEqual(["$.targets.nodes[0].schema.key_constraints[0].properties[0] GL_SPEC_UNMAPPED_PROPERTY"]);
  });

  it("refuses redundant and duplicated schema", () => {
    const schema = {
      key_constraints: [{ name: "person_id", label: "Person", properties: ["id"] }],
      unique_constraints: [{ name: "person_id_unique", label: "Person", properties: ["id"] }],
      text_indexes: [
        { name: "name_text", label: "Person", property: "name" },
        { name: "name_text_again", label: "Person", property: "name" },
      ],
    };
    const issues = checkImportSpec(spec({ nodes: [person({ schema })] }));
    expect(issues.map((issue) => `${issue.path} ${issue.code}`)).toEqual(["$.targets.nodes[0].schema.text_indexes[0] GL_SPEC_DUPLICATE_SCHEMA"]);
    const redundant = checkImportSpec(spec({ nodes: [person({ schema: { ...schema, text_indexes: [] } })] }));
    expect(redundant).toEqual([
      expect.objectContaining({ path: "$.targets.nodes[0].schema", code: "GL_SPEC_REDUNDANT_SCHEMA", message: expect.stringContaining("unique_constraints[0] and key_constraints[0]") }),
    ]);
    const named = checkImportSpec(spec({ nodes: [person({ schema: { ...schema, unique_constraints: [], text_indexes: [{ name: "person_id", label: "Person", property: "name" }] } })] }));
    expect(named.map((issue) => `${issue.path} ${issue.code}`)).toEqual(["$.targets.nodes[0].schema.key_constraints[0] GL_SPEC_DUPLICATE_SCHEMA_NAME"]);
  });

  it("refuses dependencies that are dangling, circular, repeated or implied by a node reference", () => {
    const cyclic = found(spec({ nodes: [person({ depends_on: ["knows"] })], relationships: [knows()] }));
    expect(cyclic).toEqual(["$.targets.nodes[0] GL_SPEC_DEPENDENCY_CYCLE"]);
    expect(checkImportSpec(spec({ nodes: [person({ depends_on: ["knows"] })], relationships: [knows()] }))[0].message).toContain("people -> knows -> people");
    // "people" is both the start and the end node: implied twice.
    expect(checkImportSpec(spec({ nodes: [person()], relationships: [knows({ depends_on: ["people"] })] })).map((issue) => `${issue.path} ${issue.message}`)).toEqual([
      '$.targets.relationships[0].depends_on "people" is the start node, which a relationship waits for already; remove it from the dependencies',
      '$.targets.relationships[0].depends_on "people" is the end node, which a relationship waits for already; remove it from the dependencies',
    ]);
    const queries = [{ name: "audit", source: "knows_rows", query: "UNWIND $rows AS row RETURN 1", depends_on: ["people", "people"] }];
    expect(found(spec({ nodes: [person()], queries }))).toEqual(["$.targets.queries[0].depends_on GL_SPEC_DUPLICATE_DEPENDENCY"]);
  });

  it("reads dependencies under `dependencies` too, as import-spec's model does", () => {
    expect(found(spec({ nodes: [person()], relationships: [knows({ dependencies: ["people"] })] }))).toEqual([
      "$.targets.relationships[0].dependencies GL_SPEC_REDUNDANT_DEPENDENCY",
      "$.targets.relationships[0].dependencies GL_SPEC_REDUNDANT_DEPENDENCY",
    ]);
    const { document } = compileImportSpec(
      spec({ nodes: [person(), { ...person(), name: "later", labels: ["Later"], schema: {}, dependencies: ["people"] }] }),
      { dataSources: { shop: "postgresql://x@127.0.0.1/shop" }, env: {} },
    );
    expect(document.stages!.map((stage) => stage.name)).toEqual(["nodes", "nodes-2"]);
  });

  it("refuses node references whose key mappings do not find the node by one constraint", () => {
    const node = person({
      properties: ["a", "b", "c"].map((p) => ({ source_field: p, target_property: p })),
      schema: { key_constraints: [{ name: "ab", label: "Person", properties: ["a", "b"] }], unique_constraints: [{ name: "c", label: "Person", properties: ["c"] }] },
    });
    const reference = (keys: string[]) => ({ name: "people", key_mappings: keys.map((key) => ({ source_field: key, node_property: key })) });
    const partial = checkImportSpec(spec({ nodes: [node], relationships: [knows({ start_node_reference: reference(["a"]), end_node_reference: reference(["c"]) })] }));
    expect(partial).toEqual([
      {
        path: "$.targets.relationships[0].start_node_reference.key_mappings[0]",
        code: "GL_SPEC_PARTIAL_KEY_MAPPING",
        message: '"a" is part of the key constraint "ab" of the node target "people"; map "b" as well to find the start node by it',
      },
    ]);
    const both = found(spec({ nodes: [node], relationships: [knows({ start_node_reference: reference(["a", "b", "c"]), end_node_reference: reference(["c"]) })] }));
    expect(both).toEqual(["$.targets.relationships[0].start_node_reference.key_mappings GL_SPEC_KEY_MAPPING_NO_EXACT_MATCH"]);
    const unknown = found(spec({ nodes: [node], relationships: [knows({ start_node_reference: reference(["d"]), end_node_reference: reference(["c"]) })] }));
    expect(unknown).toEqual(["$.targets.relationships[0].start_node_reference.key_mappings[0].node_property GL_SPEC_KEY_MAPPING_UNKNOWN_PROPERTY"]);
    const keyless = found(spec({ nodes: [person({ schema: {} })], relationships: [knows({ start_node_reference: "people", end_node_reference: "people" })] }));
    expect(keyless).toEqual(["$.targets.relationships[0].start_node_reference GL_SPEC_KEYLESS_NODE", "$.targets.relationships[0].end_node_reference GL_SPEC_KEYLESS_NODE"]);
  });

  it("refuses source and action types it does not know, and sources without what their type needs", () => {
    const document = spec({ nodes: [person()] }, { sources: [{ name: "people_rows", type: "kafka" }, { name: "knows_rows", type: "jdbc", sql: "SELECT 1" }] });
    expect(found(document)).toEqual(["$.sources[0].type GL_SPEC_UNKNOWN_SOURCE_TYPE", "$.sources[1].data_source GL_SPEC_SOURCE_FIELD"]);
    const action = spec({ nodes: [person()] }, { actions: [{ name: "ping", type: "http", stage: "end", url: "http://x" }] });
    expect(found(action)).toEqual(["$.actions[0].type GL_SPEC_UNKNOWN_ACTION_TYPE"]);
  });

  it("warns of a source no target reads", () => {
    const { errors, warnings } = validateImportSpec(spec({ nodes: [person()] }));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ path: "$.sources[1]", code: "GL_SPEC_UNUSED_SOURCE" })]);
  });

  it("gives every rule a code of its own kind and the library's code it stands for", () => {
    expect(SPEC_RULES.every((rule) => rule.code.startsWith("GL_SPEC_"))).toBe(true);
    const ids = SPEC_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Each rule runs after the rules it requires.
    SPEC_RULES.forEach((rule, index) => (rule.requires ?? []).forEach((id) => expect(ids.indexOf(id)).toBeLessThan(index)));
  });
});

describe("loading an import specification", () => {
  const text = (body: string) => `sources:\n  - { name: people_rows, type: jdbc, data_source: shop, sql: "SELECT 1" }\n${body}`;
  const targets = `targets:
  nodes:
    - name: people
      source: people_rows
      labels: [Person]
      properties: [{ source_field: id, target_property: id }]
`;

  it("recognises `version: 1`, a number, as a specification, and says to quote it", () => {
    expect(refusal(`version: 1\n${text(targets)}`)).toEqual([
      { path: "$.version", code: "GL_SPEC_VERSION", message: 'must be the text "1", not the number 1: quote it (version: "1")' },
    ]);
  });

  it("refuses what import-spec refuses before compiling anything", () => {
    const issues = refusal(`version: "1"\n${text(targets.replace("[Person]", "[Person, Person]"))}`);
    expect(issues.map((issue) => `${issue.path} ${issue.code}`)).toEqual(["$.targets.nodes[0].labels[0] GL_SPEC_DUPLICATE_LABEL"]);
  });

  it("refuses BigQuery sources, saying what to do instead", () => {
    const issues = refusal(`version: "1"\nsources:\n  - { name: people_rows, type: bigquery, query: "SELECT 1" }\n${targets}`);
    expect(issues).toEqual([{ path: "$.sources[0].type", code: "GL_UNSUPPORTED_SOURCE", message: expect.stringMatching(/cannot read BigQuery.*CSV.*text source.*PostgreSQL.*jdbc source/) }]);
  });

  it("passes the warnings on", () => {
    const spare = `version: "1"\n${text("")}  - { name: spare, type: text, header: [id], data: [[1]] }\n${targets}`;
    const pipeline = parsePipeline(spare, { baseDir: "/tmp", env: {}, dataSources: { shop: "postgresql://x@127.0.0.1/shop" } });
    expect(pipeline.warnings?.join("\n")).toContain('$.sources[1]: no target reads the source "spare", so it is not read [GL_SPEC_UNUSED_SOURCE]');
  });
});
