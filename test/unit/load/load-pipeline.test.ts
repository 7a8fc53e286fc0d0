import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline, parsePipeline } from "../../../src/load/load-pipeline.js";
import { PipelineValidationError, type ValidationIssue } from "../../../src/model/validation-issue.js";

const dir = mkdtempSync(join(tmpdir(), "graphload-pipeline-"));
writeFileSync(join(dir, "people.csv"), "id,name\n1,Ada\n");
writeFileSync(join(dir, "people.jsonl"), '{"id":1}\n');

function issuesOf(text: string, env: Record<string, string> = {}): ValidationIssue[] {
  try {
    parsePipeline(text, { baseDir: dir, env });
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineValidationError);
    return [...(error as PipelineValidationError).issues];
  }
  throw new Error("expected the pipeline to be invalid");
}

const valid = `
version: 1
name: people
stages:
  - name: nodes
    tasks:
      - name: people
        source: { file: people.csv }
        node:
          labels: [Person]
          key: [id]
          properties:
            id: { column: id, type: integer }
            name: name
  - name: rels
    tasks:
      - name: knows
        source: { file: people.csv }
        relationship:
          type: KNOWS
          from: { label: Person, key: { id: id } }
          to: { label: Person, key: { id: { column: id, type: string } } }
`;

describe("loadPipeline", () => {
  it("normalises a valid pipeline with defaults and absolute paths", () => {
    const pipeline = parsePipeline(valid, { baseDir: dir, env: {} });
    expect(pipeline.defaults).toEqual({ batchSize: 5000, concurrency: 4, mode: "merge", nullValues: [""] });
    const stage = pipeline.stages[0];
    expect(stage.kind).toBe("tasks");
    const task = stage.kind === "tasks" ? stage.tasks[0] : undefined;
    expect(task?.source).toMatchObject({ kind: "file", path: join(dir, "people.csv"), format: "csv", gzip: false });
    expect(task?.target).toMatchObject({
      kind: "node",
      labels: ["Person"],
      key: [{ property: "id", column: "id", type: { scalar: "integer", list: false } }],
      properties: [{ property: "name", column: "name" }],
    });
  });

  it("gives shorthand endpoint keys the type that the node task gives the key", () => {
    const pipeline = parsePipeline(valid, { baseDir: dir, env: {} });
    const stage = pipeline.stages[1];
    const target = stage.kind === "tasks" ? stage.tasks[0].target : undefined;
    expect(target).toMatchObject({
      kind: "relationship",
      from: { label: "Person", key: [{ property: "id", column: "id", type: { scalar: "integer", list: false } }] },
      // An explicit mapping wins over the node task's type.
      to: { key: [{ type: { scalar: "string", list: false } }] },
    });
  });

  it("interpolates environment variables with defaults", () => {
    const text = `version: 1\nname: p\nneo4j: { uri: "\${URI:-bolt://x:7687}", user: "\${USER_NAME}" }\nstages: [{ name: s, statements: ["RETURN 1"] }]`;
    expect(parsePipeline(text, { baseDir: dir, env: { USER_NAME: "ada" } }).neo4j).toEqual({ uri: "bolt://x:7687", user: "ada" });
  });

  it("reports an unset variable with its path", () => {
    const text = `version: 1\nname: p\nneo4j: { password: "\${SECRET}" }\nstages: [{ name: s, statements: ["RETURN 1"] }]`;
    expect(issuesOf(text)).toEqual([expect.objectContaining({ path: "$.neo4j.password", code: "GL_ENV_UNSET", message: expect.stringContaining("SECRET") })]);
  });

  it("reports every error at once, each with a path and a stable code", () => {
    const text = `
version: 2
name: people
defaults: { batchSize: 0, concurency: 4 }
stages:
  - name: nodes
    tasks:
      - name: people
        source: { file: missing.csv }
        node:
          labels: [Person]
          key: [id]
          properties:
            age: { column: age, type: int }
      - name: people
        source: { file: people.csv, header: false }
        relationship:
          type: ""
          from: { label: Person, key: {} }
          to: { label: Person }
  - name: nodes
    statements: []
    tasks: []
`;
    const issues = issuesOf(text);
    const found = issues.map((issue) => `${issue.path} ${issue.code}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "$.version GL_INVALID_VALUE",
        "$.defaults.batchSize GL_OUT_OF_RANGE",
        "$.defaults.concurency GL_UNKNOWN_KEY",
        "$.stages[0].tasks[0].node.properties.age.type GL_INVALID_VALUE",
        "$.stages[0].tasks[0].source.file GL_FILE_NOT_FOUND",
        "$.stages[0].tasks[1].name GL_DUPLICATE_NAME",
        "$.stages[0].tasks[1].source.columns GL_NO_COLUMNS",
        "$.stages[0].tasks[1].relationship.type GL_INVALID_IDENTIFIER",
        "$.stages[0].tasks[1].relationship.from.key GL_EMPTY",
        "$.stages[0].tasks[1].relationship.to.key GL_MISSING_SETTING",
        "$.stages[1].name GL_DUPLICATE_NAME",
        "$.stages[1] GL_STAGE_KIND",
      ]),
    );
    expect(issues.find((issue) => issue.code === "GL_UNKNOWN_KEY")?.message).toContain('did you mean "concurrency"');
  });

  it("takes a batch size of auto, and a strategy per task", () => {
    const pipeline = parsePipeline(valid.replace("version: 1", "version: 1\ndefaults: { batchSize: auto }"), { baseDir: dir, env: {} });
    const [nodes, rels] = pipeline.stages.map((stage) => (stage.kind === "tasks" ? stage.tasks[0] : undefined));
    expect(nodes).toMatchObject({ strategy: "parallel", settings: { batchSize: "auto" } });
    expect(rels).toMatchObject({ strategy: "parallel", settings: { batchSize: "auto" } });
    for (const strategy of ["serial", "mix-and-batch"]) {
      const chosen = parsePipeline(valid.replace("      - name: knows\n", `      - name: knows\n        strategy: ${strategy}\n`), { baseDir: dir, env: {} });
      expect(chosen.stages[1].kind === "tasks" && chosen.stages[1].tasks[0].strategy).toBe(strategy);
    }
  });

  it("refuses other batch size words, and mix and batch where there are no endpoints", () => {
    const text = valid
      .replace("version: 1", "version: 1\ndefaults: { batchSize: big }")
      .replace("      - name: people\n", "      - name: people\n        strategy: mix-and-batch\n");
    expect(issuesOf(text).map((issue) => `${issue.path} ${issue.code}`)).toEqual([
      "$.defaults.batchSize GL_INVALID_VALUE",
      "$.stages[0].tasks[0].strategy GL_STRATEGY_NEEDS_ENDPOINTS",
    ]);
  });

  it("reads a Parquet file's decimal option, and refuses what does not apply to Parquet or to other formats", () => {
    const parquet = parsePipeline(valid.replaceAll("source: { file: people.csv }", "source: { file: people.csv, format: parquet, decimal: string }"), { baseDir: dir, env: {} });
    const task = parquet.stages[0].kind === "tasks" ? parquet.stages[0].tasks[0] : undefined;
    expect(task?.source).toMatchObject({ kind: "file", format: "parquet", decimal: "string" });
    const wrong = valid
      .replace("source: { file: people.csv }", 'source: { file: people.csv, format: parquet, delimiter: ";", gzip: true }')
      .replace("source: { file: people.csv }", "source: { file: people.csv, decimal: string }");
    expect(issuesOf(wrong).map((issue) => `${issue.path} ${issue.code}`)).toEqual([
      "$.stages[0].tasks[0].source.gzip GL_NOT_APPLICABLE",
      "$.stages[0].tasks[0].source.delimiter GL_NOT_APPLICABLE",
      "$.stages[1].tasks[0].source.decimal GL_NOT_APPLICABLE",
    ]);
    const stdin = valid.replace("source: { file: people.csv }", "source: { stdin: true, format: parquet }");
    expect(issuesOf(stdin).map((issue) => `${issue.path} ${issue.code}`)).toEqual(["$.stages[0].tasks[0].source.format GL_NOT_APPLICABLE"]);
    const remote = valid.replace("source: { file: people.csv }", 'source: { file: "https://example.com/orders.parquet" }');
    expect(issuesOf(remote).map((issue) => `${issue.path} ${issue.code}`)).toEqual(["$.stages[0].tasks[0].source.file GL_NOT_APPLICABLE"]);
  });

  it("reads a Neo4j source's connection and query, and refuses file options on it", () => {
    const neo4jSource = '{ neo4j: { uri: "bolt://db:7687", database: people, query: "MATCH (p) RETURN p.id AS id" } }';
    const pipeline = parsePipeline(valid.replace("source: { file: people.csv }", `source: ${neo4jSource}`), { baseDir: dir, env: {} });
    const task = pipeline.stages[0].kind === "tasks" ? pipeline.stages[0].tasks[0] : undefined;
    expect(task?.source).toEqual({ kind: "neo4j", uri: "bolt://db:7687", database: "people", query: "MATCH (p) RETURN p.id AS id", fetchSize: 1000, user: undefined, password: undefined });
    const wrong = valid.replace("source: { file: people.csv }", '{ source: { neo4j: { uri: "bolt://db" }, delimiter: ";" } }'.slice(2, -2));
    expect(issuesOf(wrong).map((issue) => `${issue.path} ${issue.code}`)).toEqual([
      "$.stages[0].tasks[0].source.neo4j.query GL_MISSING_SETTING",
      "$.stages[0].tasks[0].source.delimiter GL_NOT_APPLICABLE",
    ]);
  });

  it("requires exactly one target per task and one kind per source", () => {
    const text = `
version: 1
name: p
stages:
  - name: s
    tasks:
      - name: t
        source: { file: people.csv, stdin: true }
        cypher: RETURN 1
        node: { labels: [A], key: [id] }
`;
    const codes = issuesOf(text).map((issue) => `${issue.path} ${issue.code}`);
    expect(codes).toEqual(expect.arrayContaining(["$.stages[0].tasks[0] GL_TASK_KIND", "$.stages[0].tasks[0].source GL_SOURCE_KIND"]));
  });

  it("refuses options that do not apply", () => {
    const text = `
version: 1
name: p
stages:
  - name: s
    tasks:
      - name: t
        source: { file: people.jsonl, delimiter: ";" }
        node:
          labels: [A]
          key: [id]
          properties:
            name: { column: name, format: yyyy }
            tags: { column: tags, type: string, arrayDelimiter: "|" }
`;
    expect(issuesOf(text).map((issue) => `${issue.path} ${issue.code}`)).toEqual([
      "$.stages[0].tasks[0].source.delimiter GL_NOT_APPLICABLE",
      "$.stages[0].tasks[0].node.properties.name.format GL_NOT_APPLICABLE",
      "$.stages[0].tasks[0].node.properties.tags.arrayDelimiter GL_NOT_APPLICABLE",
    ]);
  });

  it("refuses identifiers that cannot be escaped", () => {
    const text = `
version: 1
name: p
stages:
  - name: s
    tasks:
      - name: t
        source: { file: people.csv }
        node: { labels: ["A\\u0000B", " "], key: [id] }
`;
    expect(issuesOf(text).map((issue) => `${issue.path} ${issue.code}`)).toEqual([
      "$.stages[0].tasks[0].node.labels[0] GL_INVALID_IDENTIFIER",
      "$.stages[0].tasks[0].node.labels[1] GL_INVALID_IDENTIFIER",
    ]);
  });

  it("reports syntax errors and reads JSON files", async () => {
    expect(issuesOf("version: [1")[0]).toMatchObject({ path: "$", code: "GL_SYNTAX" });
    const file = join(dir, "pipeline.json");
    writeFileSync(file, JSON.stringify({ version: 1, name: "p", stages: [{ name: "s", statements: ["RETURN 1"] }] }));
    await expect(loadPipeline(file)).resolves.toMatchObject({ name: "p", file });
    await expect(loadPipeline(join(dir, "nope.yaml"))).rejects.toMatchObject({ issues: [{ code: "GL_FILE_NOT_FOUND" }] });
  });
});

describe("YAML syntax errors", () => {
  const statements = (...items: string[]): string => `version: 1\nname: p\nstages:\n  - name: s\n    statements:\n${items.map((item) => `      ${item}\n`).join("")}`;
  const advice = 'quote the item ("…" or \'…\') or write it as a block scalar ("|" in its place, the text on the next lines, indented)';

  it("name the line and column", () => {
    expect(issuesOf("version: 1\nname: p\nstages:\n\t- name: s\n")).toEqual([
      { path: "$", code: "GL_SYNTAX", message: "not valid YAML at line 4, column 1: tabs are not allowed as indentation" },
    ]);
    expect(issuesOf("version: 1\nversion: 2\n")).toEqual([{ path: "$", code: "GL_SYNTAX", message: "not valid YAML at line 2, column 1: map keys must be unique" }]);
    expect(issuesOf('version: 1\nname: "p\n')[0].message).toMatch(/^not valid YAML at line 3, column 1: missing closing "quote$/);
  });

  it("say to quote a Cypher item whose ': ' or map YAML cannot read", () => {
    expect(issuesOf(statements("- RETURN 1", "- MATCH (n) SET n += {a: 1, b: 2}"))).toEqual([
      {
        path: "$",
        code: "GL_SYNTAX",
        message: `not valid YAML at line 7, column 32: nested mappings are not allowed in compact mappings; ": " and "{…}" (a Cypher map) in unquoted text are YAML syntax, so ${advice}`,
      },
    ]);
    expect(issuesOf(statements("- CREATE (n {name: 'x'}) RETURN n"))[0].message).toMatch(/^not valid YAML at line 6, column 29: .*"\}".*, so quote the item/);
    const task = "version: 1\nname: p\nstages:\n  - name: s\n    tasks:\n      - name: t\n        source: { file: people.csv }\n        cypher: MERGE (n:X {id: row.id})\n";
    expect(issuesOf(task)[0].message).toMatch(/^not valid YAML at line 8, column 17: nested mappings .*, so quote the item/);
  });

  it("give no Cypher advice for other mistakes", () => {
    expect(issuesOf("version: 1\nname: p\nstages: [{ name: s, statements: [RETURN 1]\n")[0].message).not.toContain("quote");
    expect(issuesOf("version: 1\nname: p\nsource: { file: a.csv\nstages: []\n")[0].message).not.toContain("quote");
    expect(issuesOf("version: [1")[0].message).not.toContain("quote");
  });

  it("explain an item that YAML read as a map because of ': '", () => {
    expect(issuesOf(statements("- RETURN 1", "- MERGE (n:X {a: 1})", "- MERGE (m:Y {b: 2}) SET m.c = 3"))).toEqual([
      {
        path: "$.stages[0].statements[1]",
        code: "GL_SYNTAX",
        message: `line 7, column 9: YAML reads "MERGE (n:X {a: 1})" as a map, the ": " in the unquoted text ending its key "MERGE (n:X {a": ${advice}`,
      },
      {
        path: "$.stages[0].statements[2]",
        code: "GL_SYNTAX",
        message: expect.stringContaining('line 8, column 9: YAML reads "MERGE (m:Y {b: 2}) SET m.c = 3" as a map'),
      },
    ]);
  });

  it("leave maps written as maps to the other checks", () => {
    expect(issuesOf(statements("- { a: 1 }"))).toEqual([expect.objectContaining({ path: "$.stages[0].statements[0]", code: "GL_WRONG_TYPE" })]);
    expect(issuesOf(statements("- name: x"))).toEqual([expect.objectContaining({ path: "$.stages[0].statements[0]", code: "GL_WRONG_TYPE" })]);
  });

  it("read quoted and block-scalar Cypher", () => {
    const pipeline = parsePipeline(statements("- 'MERGE (n:X {a: 1})'", '- "MERGE (n:X {a: 1})"', "- |", "  MERGE (n:X {a: 1})", "  SET n.b = 2"), { baseDir: dir, env: {} });
    expect(pipeline.stages[0]).toMatchObject({ statements: ["MERGE (n:X {a: 1})", "MERGE (n:X {a: 1})", "MERGE (n:X {a: 1})\nSET n.b = 2\n"] });
  });
});

describe("temporal formats", () => {
  const withFormat = (mapping: string): string => `
version: 1
name: p
stages:
  - name: s
    tasks:
      - name: t
        source: { file: people.csv }
        node:
          labels: [Person]
          key: [id]
          properties:
            born: ${mapping}
`;

  it("are checked under onCreate too", () => {
    const onCreate = withFormat("name").replace("          properties:\n            born: name\n", "          onCreate:\n            born: { column: name, type: date, format: \"MMM dd, yyyy QQ\" }\n");
    expect(issuesOf(onCreate).map((issue) => [issue.path, issue.code])).toEqual([["$.stages[0].tasks[0].node.onCreate.born.format", "GL_INVALID_VALUE"]]);
  });

  it("are compiled with the pipeline and a bad one named by property and column", () => {
    expect(issuesOf(withFormat('{ column: name, type: date, format: "MMM dd, yyyy QQ" }'))).toEqual([
      {
        path: "$.stages[0].tasks[0].node.properties.born.format",
        code: "GL_INVALID_VALUE",
        message: 'column "name" (property "born"): format "MMM dd, yyyy QQ": "QQ" is not supported',
      },
    ]);
    expect(issuesOf(withFormat('{ column: name, type: "date[]", format: "HH:mm" }'))[0]).toMatchObject({
      path: "$.stages[0].tasks[0].node.properties.born.format",
      message: 'column "name" (property "born"): format "HH:mm" cannot make a date: it needs a year, month and day',
    });
  });

  it("check relationship properties and endpoint keys too", () => {
    const text = `
version: 1
name: p
stages:
  - name: s
    tasks:
      - name: t
        source: { file: people.csv }
        relationship:
          type: KNOWS
          from: { label: Person, key: { since: { column: name, type: date, format: "YYYY-MM-dd" } } }
          to: { label: Person, key: { id: id } }
          properties: { at: { column: name, type: localtime, format: "hh:mm" } }
`;
    expect(issuesOf(text).map((issue) => `${issue.path} ${issue.code}`)).toEqual([
      "$.stages[0].tasks[0].relationship.properties.at.format GL_INVALID_VALUE",
      "$.stages[0].tasks[0].relationship.from.key.since.format GL_INVALID_VALUE",
    ]);
  });

  it("accept the patterns APOC users write", () => {
    for (const format of ["MMM dd, yyyy", "M/d/yyyy", "yyyy-MM-dd HH:mm:ss.SSS", "yyyyMMdd", "EEE, d MMM yyyy"]) {
      expect(() => parsePipeline(withFormat(`{ column: name, type: date, format: "${format}" }`), { baseDir: dir, env: {} })).not.toThrow();
    }
  });
});

describe("column check", () => {
  it("reports a mapped column that the CSV header lacks", async () => {
    const file = join(dir, "typo.yaml");
    writeFileSync(
      file,
      `
version: 1
name: p
stages:
  - name: s
    tasks:
      - name: t
        source: { file: people.csv }
        node: { labels: [A], key: [id], properties: { fullName: nmae } }
`,
    );
    await expect(loadPipeline(file)).rejects.toMatchObject({
      issues: [{ path: "$.stages[0].tasks[0].node.properties.fullName", code: "GL_UNKNOWN_COLUMN", message: expect.stringContaining("its columns are: id, name") }],
    });
  });
});
