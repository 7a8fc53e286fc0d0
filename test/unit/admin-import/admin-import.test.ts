import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAdminArguments } from "../../../src/admin-import/admin-arguments.js";
import { parseAdminHeader } from "../../../src/admin-import/admin-header.js";
import { BadEntries, importExitCode, rowsTolerated } from "../../../src/admin-import/bad-entries.js";
import { compileAdminImport } from "../../../src/admin-import/compile-admin-import.js";
import { loadAdminImport } from "../../../src/load/admin-import-pipeline.js";
import { buildPlan } from "../../../src/plan/build-plan.js";
import { parsePipeline } from "../../../src/load/load-pipeline.js";

describe("neo4j-admin's header format", () => {
  it("reads every header type, lists, IDs with and without a property, groups, labels and ignored columns", () => {
    const types = ["int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date", "localtime", "time", "localdatetime", "datetime", "duration"];
    const header = ["id:ID(Person)", "name", ...types.map((type) => `p_${type}:${type}`), "xs:int[]", "when:datetime{timezone:Europe/Berlin}", ":LABEL", ":IGNORE", ""];
    const columns = parseAdminHeader(header, "nodes", "people.csv");
    expect(columns[0]).toEqual({ kind: "id", column: "id:ID(Person)", group: "Person", property: "id" });
    expect(columns[1]).toEqual({ kind: "property", column: "name", property: "name", type: "string", declared: false });
    expect(columns.slice(2, 2 + types.length).map((column) => (column.kind === "property" ? column.type : column.kind))).toEqual([
      "integer", "integer", "float", "float", "boolean", "integer", "integer", "string", "string", "point", "date", "localtime", "time", "localdatetime", "datetime", "duration",
    ]);
    expect(columns.find((column) => column.column === "p_datetime:datetime")).toMatchObject({ timezone: "Z" });
    expect(columns.at(-5)).toEqual({ kind: "property", column: "xs:int[]", property: "xs", type: "integer[]", declared: true });
    expect(columns.at(-4)).toMatchObject({ property: "when", type: "datetime", timezone: "Europe/Berlin" });
    expect(columns.slice(-3).map((column) => [column.kind, column.column])).toEqual([["label", ":LABEL"], ["ignore", ":IGNORE"], ["ignore", ":IGNORE (2)"]]);
    expect(parseAdminHeader([":ID", "a"], "nodes", "f")[0]).toEqual({ kind: "id", column: ":ID", group: "" });
    expect(parseAdminHeader([":START_ID(A)", ":END_ID", ":TYPE", "w:float"], "relationships", "r")).toEqual([
      { kind: "start", column: ":START_ID(A)", group: "A" },
      { kind: "end", column: ":END_ID", group: "" },
      { kind: "type", column: ":TYPE" },
      { kind: "property", column: "w:float", property: "w", type: "float", declared: true },
    ]);
  });

  it.each([
    [["a:integer"], "nodes", 'unknown type "integer"'],
    [["a:point{crs:WGS-84}"], "nodes", "does not read the option crs"],
    [["a:int{timezone:Z}"], "nodes", '"timezone" applies to datetime and time only'],
    [[":ID", ":ID(B)"], "nodes", "at most one :ID"],
    [[":ID", ":START_ID"], "nodes", "no :START_ID"],
    [[":START_ID", "x"], "relationships", "one :START_ID and one :END_ID"],
    [[":START_ID", ":END_ID", ":LABEL"], "relationships", "no :ID or :LABEL"],
  ] as const)("refuses %j in a %s file", (header, kind, message) => {
    expect(() => parseAdminHeader(header, kind, "f.csv")).toThrow(expect.objectContaining({ code: "GL_ADMIN_HEADER", message: expect.stringContaining(message) }));
  });
});

describe("neo4j-admin database import's arguments", () => {
  it("read labels, types, several files per group, both value styles and the defaults", () => {
    const args = parseAdminArguments(["full", "movies", "--nodes=Person:Actor=h.csv,p1.csv,p2.csv", "--nodes", "m.csv", "--relationships=ACTED_IN=r.csv", "--delimiter", "TAB", "--array-delimiter=U+007C", "--skip-bad-relationships", "--skip-duplicate-nodes=false", "--threads=3", "--id-type=actual", "--strict"]);
    expect(args).toMatchObject({
      database: "movies",
      nodes: [{ names: ["Person", "Actor"], files: ["h.csv", "p1.csv", "p2.csv"] }, { names: [], files: ["m.csv"] }],
      relationships: [{ names: ["ACTED_IN"], files: ["r.csv"] }],
      delimiter: "\t",
      arrayDelimiter: "|",
      quote: '"',
      idType: "integer",
      skipBadRelationships: true,
      skipDuplicateNodes: false,
      badTolerance: 1000,
      threads: 3,
    });
    expect(parseAdminArguments(["--nodes=a.csv"]).database).toBeUndefined();
  });

  it.each([
    [["--nodes=a.csv", "--overwrite-destination"], "--overwrite-destination is an option of the offline importer"],
    [["--nodes=a.csv", "--format=block"], "--format is an option of the offline importer"],
    [["--nodes=a.csv", "--high-parallel-io=on"], "--high-parallel-io is an option of the offline importer"],
    [["--nodes=a.csv", "--max-off-heap-memory=2G"], "--max-off-heap-memory is an option of the offline importer"],
    [["incremental", "--nodes=a.csv"], "incremental mode"],
    [["--nodes=a.csv", "--id-type=uuid"], "--id-type takes string, integer or actual"],
    [["--nodes=a.csv", "--delimiter=ab"], "--delimiter takes one character"],
    [["--nodes=a.csv", "--skip-bad-relationships=maybe"], "takes true or false"],
    [["--nodes=a.csv", "--frobnicate"], "unknown option --frobnicate"],
    [["--relationships=R=r.csv"], "--nodes is required"],
    [["--nodes=a.csv", "--relationships=A:B=r.csv"], "one type"],
    [["--nodes=a.csv", "one", "two"], "at most one database name"],
  ])("refuse %j", (argv, message) => {
    expect(() => parseAdminArguments(argv)).toThrow(expect.objectContaining({ code: "GL_ADMIN_ARGUMENT", message: expect.stringContaining(message) }));
  });
});

describe("an import compiled to a pipeline", () => {
  const dir = mkdtempSync(join(tmpdir(), "graphload-admin-"));
  writeFileSync(join(dir, "people-header.csv"), "id:ID(People)|name|tags:string[]|:LABEL\n");
  writeFileSync(join(dir, "people.csv"), "1|Ada|a,b|Admin,User\n");
  writeFileSync(join(dir, "things.csv"), ":ID|name\nt1|Lamp\n");
  writeFileSync(join(dir, "owns.csv"), ":START_ID(People)|:END_ID|:TYPE\n1|t1|OWNS\n");

  it("is named after its database, positional or --database alike: its lease and resume state are that database's", async () => {
    const named = async (argv: string[], database?: string) => (await loadAdminImport(["--nodes=Thing=things.csv", "--delimiter=|", ...argv], dir, database)).document;
    expect(await named([])).toMatchObject({ name: "import-neo4j", neo4j: { database: "neo4j" } });
    expect(await named(["graphs"])).toMatchObject({ name: "import-graphs", neo4j: { database: "graphs" } });
    expect(await named([], "graphs")).toMatchObject({ name: "import-graphs", neo4j: { database: "graphs" } });
  });

  it("creates nodes under their ID group's label and matches relationships on it, then removes the import IDs", async () => {
    const { document, pipeline } = await loadAdminImport(
      ["--nodes=Person=people-header.csv,people.csv", "--nodes=Thing=things.csv", "--relationships=owns.csv", "--delimiter=|", "--array-delimiter=,", "--id-type=integer", "--threads=2"],
      dir,
    );
    expect(document.defaults).toEqual({ mode: "create", nullValues: [""], concurrency: 2 });
    expect(document.stages!.map((stage) => stage.name)).toEqual(["import-ids", "nodes", "relationships", "remove-import-ids"]);
    expect(document.stages![0].statements).toEqual([
      "CREATE CONSTRAINT `graphload_import_id` IF NOT EXISTS FOR (n:`__ImportId`) REQUIRE n.__importId IS UNIQUE",
      "CREATE CONSTRAINT `graphload_import_id_People` IF NOT EXISTS FOR (n:`__ImportId_People`) REQUIRE n.__importId IS UNIQUE",
    ]);
    expect(document.stages![3].statements).toContain("MATCH (n:`__ImportId_People`) CALL (n) { REMOVE n:`__ImportId_People`, n.__importId } IN TRANSACTIONS OF 10000 ROWS");
    const [header, data] = document.stages![1].tasks!;
    expect([header.name, data.name]).toEqual(["nodes-1.1", "nodes-1.2"]);
    expect([header.source!.header, data.source!.header]).toEqual([true, false]);
    expect(data.source).toMatchObject({ file: join(dir, "people.csv"), delimiter: "|", columns: ["id:ID(People)", "name", "tags:string[]", ":LABEL"] });
    expect(data.node).toEqual({
      labels: ["Person", "__ImportId_People", { column: ":LABEL", arrayDelimiter: "," }],
      key: ["__importId"],
      properties: {
        __importId: { column: "id:ID(People)", type: "integer" },
        id: { column: "id:ID(People)", type: "integer" },
        name: { column: "name", type: "string" },
        tags: { column: "tags:string[]", type: "string[]", arrayDelimiter: "," },
      },
    });
    // `:ID` without a name: the ID is matched on, never kept.
    expect(document.stages![1].tasks![2].node!.properties).toEqual({ __importId: { column: ":ID", type: "integer" }, name: { column: "name", type: "string" } });
    expect(document.stages![2].tasks![0].relationship).toEqual({
      type: { column: ":TYPE" },
      from: { label: "__ImportId_People", key: { __importId: { column: ":START_ID(People)", type: "integer" } } },
      to: { label: "__ImportId", key: { __importId: { column: ":END_ID", type: "integer" } } },
      properties: {},
    });
    const plan = buildPlan(pipeline);
    const nodes = plan.stages[1];
    if (nodes.kind !== "tasks") throw new Error("expected tasks");
    expect(nodes.tasks[1].variantOf!({ ":LABEL": "Admin,User" })).toBe("Admin:User");
    expect(nodes.tasks[1].variantOf!({ ":LABEL": "" })).toBe("");
  });

  it("with --input-type parquet, takes each file's own column names and keeps the file's type where the name gives none", async () => {
    const args = parseAdminArguments(["--input-type=parquet", "--nodes=Person=p1.parquet,p2.parquet", "--relationships=KNOWS=k.parquet"]);
    const headers = new Map([
      ["p1.parquet", ["id:ID(P)", "name", "age:int", ":LABEL"]],
      ["p2.parquet", ["id:ID(P)", "age:int", "name"]],
      ["k.parquet", [":START_ID(P)", ":END_ID(P)", "since"]],
    ]);
    const document = compileAdminImport(args, headers, dir);
    const [first, second] = document.stages![1].tasks!;
    expect(first.source).toEqual({ file: join(dir, "p1.parquet"), format: "parquet" });
    expect(first.node!.labels).toEqual(["Person", "__ImportId_P", { column: ":LABEL", arrayDelimiter: ";" }]);
    expect(first.node!.properties).toMatchObject({ name: { column: "name" }, age: { column: "age:int", type: "integer" } });
    expect(first.node!.properties!.name).not.toHaveProperty("type");
    // The second file names its columns itself: no :LABEL, another order.
    expect(second.node!.labels).toEqual(["Person", "__ImportId_P"]);
    expect(Object.keys(second.node!.properties!)).toEqual(["__importId", "id", "age", "name"]);
    expect(document.stages![2].tasks![0].relationship!.properties).toEqual({ since: { column: "since" } });
  });

  it("reads a :LABEL list column's items as labels", () => {
    writeFileSync(join(dir, "t.parquet"), "");
    const pipeline = parsePipeline(
      JSON.stringify(compileAdminImport(parseAdminArguments(["--input-type=parquet", "--nodes=t.parquet"]), new Map([["t.parquet", [":ID", ":LABEL"]]]), dir)),
      { json: true, baseDir: dir },
    );
    const nodes = buildPlan(pipeline).stages[1];
    if (nodes.kind !== "tasks") throw new Error("expected tasks");
    expect(nodes.tasks[0].variantOf!({ ":LABEL": ["Thing", "Item"] })).toBe("Thing:Item");
    expect(nodes.tasks[0].variantOf!({ ":LABEL": [] })).toBe("");
  });

  it("refuses a relationship file with no type, and a node file with neither label nor ID", () => {
    const args = parseAdminArguments(["--nodes=things.csv", "--relationships=r.csv"]);
    expect(() => compileAdminImport(args, new Map([["things.csv", [":ID", "name"]], ["r.csv", [":START_ID", ":END_ID"]]]), dir)).toThrow(
      expect.objectContaining({ code: "GL_ADMIN_HEADER", message: expect.stringContaining("no relationship type") }),
    );
  });
});

describe("bad entries", () => {
  const both = { skipBadRelationships: true, skipDuplicateNodes: true, badTolerance: 5 };
  it("stop the run at the first one without a --skip option, past --bad-tolerance with one", () => {
    expect(rowsTolerated({ skipBadRelationships: false, skipDuplicateNodes: false, badTolerance: 5 })).toBe(0);
    expect(rowsTolerated(both)).toBe(5);
  });

  it("exit 0 when every rejected row was a skipped bad entry, 3 when others were rejected, 1 past the tolerance", () => {
    const entries = new BadEntries(both);
    entries.add({ stage: "relationships", code: "GL_ENDPOINT_NOT_FOUND", unmatched: true });
    entries.add({ stage: "nodes", code: "Neo.ClientError.Schema.ConstraintValidationFailed", unmatched: false });
    expect(importExitCode({ exitCode: 3 }, entries, both)).toEqual({ exitCode: 0 });
    entries.add({ stage: "nodes", code: "GL_BAD_VALUE", unmatched: false });
    expect(importExitCode({ exitCode: 3 }, entries, both)).toEqual({ exitCode: 3 });
    const stopped = importExitCode({ exitCode: 1, error: { code: "GL_TOO_MANY_ERRORS" } }, entries, both);
    expect(stopped.exitCode).toBe(1);
    expect(stopped.error?.code).toBe("GL_IMPORT_BAD_ENTRIES");
    const onlyNodes = new BadEntries({ skipBadRelationships: false, skipDuplicateNodes: true });
    onlyNodes.add({ stage: "relationships", code: "GL_ENDPOINT_NOT_FOUND", unmatched: true });
    expect(onlyNodes.other).toBe(1);
  });
});
