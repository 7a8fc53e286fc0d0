import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline, parsePipeline } from "../../../src/load/load-pipeline.js";
import { PipelineValidationError } from "../../../src/model/validation-issue.js";

const dir = mkdtempSync(join(tmpdir(), "graphload-admin-format-"));
writeFileSync(join(dir, "people-header.csv"), "id:ID(People)|name|age:int|:LABEL\n");
writeFileSync(join(dir, "people.csv"), "1|Ada|36|Admin\n");
writeFileSync(join(dir, "knows.csv"), ":START_ID(People)|:END_ID(People)|since:int\n1|1|2000\n");
writeFileSync(join(dir, "bad.csv"), "id:ID|age:integer\n");
writeFileSync(join(dir, "plain.csv"), "id\n1\n");

async function issuesOf(yaml: string): Promise<Array<{ path: string; code: string; message: string }>> {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  try {
    await loadPipeline(file, { env: {} });
  } catch (error) {
    if (error instanceof PipelineValidationError) return error.issues.map(({ path, code, message }) => ({ path, code, message }));
    throw error;
  }
  return [];
}

describe("format: neo4j-admin in a pipeline file", () => {
  it("compiles a node file and a relationship file as graphload import would, between the ID group's stages", async () => {
    const file = join(dir, "ok.yaml");
    writeFileSync(
      file,
      `version: 1
name: people
stages:
  - name: nodes
    tasks:
      - { name: people, source: { file: people.csv, headerFile: people-header.csv, format: neo4j-admin, delimiter: "|", idType: integer }, node: { labels: [Person] }, batchSize: 50 }
  - name: rels
    tasks:
      - { name: knows, source: { file: knows.csv, format: neo4j-admin, delimiter: "|", idType: integer }, relationship: { type: KNOWS } }
`,
    );
    const pipeline = await loadPipeline(file, { env: {} });
    expect(pipeline.stages.map((stage) => stage.name)).toEqual(["import-ids", "nodes", "rels", "remove-import-ids"]);
    const nodes = pipeline.stages[1];
    if (nodes.kind !== "tasks") throw new Error("expected tasks");
    const [people] = nodes.tasks;
    expect(people.settings).toMatchObject({ mode: "create", batchSize: 50, nullValues: [""] });
    expect(people.target).toMatchObject({ kind: "node", labels: ["Person", "__ImportId_People"], key: [{ property: "__importId", column: "id:ID(People)" }] });
    const rels = pipeline.stages[2];
    if (rels.kind !== "tasks") throw new Error("expected tasks");
    expect(rels.tasks[0].target).toMatchObject({ kind: "relationship", type: "KNOWS", from: { label: "__ImportId_People" }, to: { label: "__ImportId_People" } });
  });

  it("reports every problem with its path and code, at the paths of the file as written", async () => {
    const issues = await issuesOf(`version: 1
name: broken
stages:
  - name: nodes
    tasks:
      - { name: a, source: { file: people.csv, headerFile: people-header.csv, format: neo4j-admin, delimiter: "|" }, node: { labels: [Person], key: [id] } }
      - { name: b, source: { file: people.csv, headerFile: missing.csv, format: neo4j-admin } }
      - { name: c, source: { file: bad.csv, format: neo4j-admin } }
      - { name: d, source: { files: "*.csv", format: neo4j-admin } }
      - { name: e, source: { file: knows.csv, format: neo4j-admin, delimiter: "|" }, node: { labels: [X] } }
      - { name: f, source: { file: plain.csv, headerFile: people-header.csv }, node: { labels: [Y], key: [id] } }
`);
    expect(issues.map(({ path, code }) => [path, code])).toEqual([
      ["$.stages[0].tasks[0].node.key", "GL_NOT_APPLICABLE"],
      ["$.stages[0].tasks[1].source.headerFile", "GL_READ_FAILED"],
      ["$.stages[0].tasks[2].source.file", "GL_ADMIN_HEADER"],
      ["$.stages[0].tasks[3].source.headerFile", "GL_ADMIN_HEADER"],
      ["$.stages[0].tasks[4].node", "GL_ADMIN_HEADER"],
    ]);
    expect(issues[2].message).toContain('unknown type "integer"');
    expect(issues[4].message).toContain("relationship file");
  });

  it("reports issues of the compiled pipeline at the stages as written, and needs the file to read headers", async () => {
    const issues = await issuesOf(`version: 1
name: shifted
stages:
  - name: nodes
    tasks:
      - { name: people, source: { file: people.csv, headerFile: people-header.csv, format: neo4j-admin, delimiter: "|" } }
  - name: more
    tasks:
      - { name: f, source: { file: plain.csv, headerFile: people-header.csv }, node: { labels: [Y], key: [id] } }
`);
    expect(issues).toEqual([expect.objectContaining({ path: "$.stages[1].tasks[0].source.headerFile", code: "GL_NOT_APPLICABLE" })]);
    expect(() => parsePipeline(`{"version":1,"name":"x","stages":[{"name":"s","tasks":[{"name":"t","source":{"file":"people.csv","format":"neo4j-admin"}}]}]}`, { json: true, baseDir: dir })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: "$.stages[0].tasks[0].source", code: "GL_NOT_APPLICABLE" })] }),
    );
  });
});
