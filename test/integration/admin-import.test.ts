import { execFile, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDriver } from "../../src/create-driver.js";
import { freePort } from "../../src/local-neo4j/free-port.js";
import { findJava } from "../../src/local-neo4j/java-tools.js";
import { launchNeo4j, type LaunchedNeo4j } from "../../src/local-neo4j/launch-neo4j.js";
import { ensureLauncherBuilt } from "../../src/local-neo4j/launcher-build.js";
import { stopProcess } from "../../src/local-neo4j/process-control.js";
import { graphload, startGraphload } from "../support/cli.js";
import { diffSnapshots, readSnapshot, type GraphSnapshot } from "../support/graph-snapshot.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { pyarrowPython } from "../support/pyarrow.js";
import { query, workDir } from "../support/run-fixture.js";

/**
 * The same files and arguments through the real offline importer (neo4j-admin's AdminTool, from
 * the Neo4j jars the local Neo4j is built from) into a database of its own, and through
 * `graphload import` into the tests' running Neo4j: the two graphs must be equal, label by
 * label, property by property, with their types.
 */
const S = uniqueLabel("ai").slice(2);
const suffix = `_${S}`;
const label = (name: string): string => `${name}${suffix}`;
const dir = workDir();
/** The same files again under labels of their own, for the Parquet import. */
const parquetSuffix = `_${uniqueLabel("ap").slice(2)}`;
/** And again for a pipeline file of format neo4j-admin sources. */
const pipelineSuffix = `_${uniqueLabel("af").slice(2)}`;

function writeFiles(dir: string, suffix: string): void {
  const label = (name: string): string => `${name}${suffix}`;
  const types = "pid:ID(P" + suffix + "),name,age:int,score:double,ok:boolean,b:byte,s:short,l:long,f:float,c:char,loc:point,d:date,lt:localtime,t:time,ldt:localdatetime,dt:datetime,du:duration,tags:string[],nums:long[],flags:boolean[],days:date[],:LABEL";
  writeFileSync(join(dir, "persons-header.csv"), `${types}\n`);
  const person = (i: number, name = `P${i}`): string =>
    [
      i, name, 20 + i, i / 4, i % 2 === 0, i % 100, i * 3, 2 ** 40 + i, i + 0.5, String.fromCharCode(97 + (i % 26)),
      i % 3 === 0 ? `"{x:${i}, y:${-i}, crs:cartesian}"` : `"{latitude:${(i % 80) + 0.25}, longitude:${i % 170}}"`,
      `2020-01-${String((i % 28) + 1).padStart(2, "0")}`, "12:30:15", i % 2 ? "08:00:00+02:00" : "23:59:59", "2021-06-01T10:11:12.5",
      i % 2 ? "2021-06-01T10:11:12" : "2021-06-01T10:11:12+01:00", `P${i}DT${i % 24}H`, `x${i};y${i}`, `${i};${-i}`, "true;false", "2020-02-29;2021-03-01",
      i % 5 === 0 ? "" : i % 2 ? label("Admin") : `${label("Admin")};${label("User")}`,
    ].join(",");
  // A row with empty cells, and a duplicate ID in the same file (the first is kept).
  writeFileSync(join(dir, "persons-1.csv"), [...Array.from({ length: 20 }, (_, i) => person(i + 1)), "21,Empty,,,,,,,,,,,,,,,,,,,,", person(7, "Duplicate")].join("\n") + "\n");
  writeFileSync(join(dir, "persons-2.csv"), Array.from({ length: 20 }, (_, i) => person(i + 30)).join("\n") + "\n");
  writeFileSync(join(dir, "companies.csv"), `:ID(C${suffix}),name,founded:date\n` + ["c1,Acme,1990-01-01", "c2,Globex,", "c3,Initech,2001-09-09"].join("\n") + "\n");
  writeFileSync(join(dir, "things.csv"), `:ID,name,:LABEL,weight:float[]\n` + ["t1,Lamp," + label("Thing") + ",", `t2,Desk,${label("Thing")};${label("Item")},1.5;2.5`, `t3,Pen,${label("Item")},`].join("\n") + "\n");
  writeFileSync(join(dir, "works.csv"), `:START_ID(P${suffix}),:END_ID(C${suffix}),since:int,role\n` + ["1,c1,2000,dev", "2,c1,2001,", "3,c2,2002,ops", "999,c1,2003,ghost", "30,c3,2010,dev", "30,c3,2010,dev"].join("\n") + "\n");
  writeFileSync(join(dir, "knows.csv"), `:START_ID(P${suffix}),:END_ID(P${suffix}),:TYPE,weight:double\n` + Array.from({ length: 30 }, (_, i) => `${i + 1},${((i * 7) % 20) + 1},${i % 3 ? label("KNOWS") : label("LIKES")},${i / 10}`).join("\n") + "\n");
  writeFileSync(join(dir, "owns.csv"), `:START_ID(P${suffix}),:END_ID,:IGNORE\n` + ["1,t1,x", "2,t1,y", "3,t3,z", "4,t9,missing"].join("\n") + "\n");
}

/**
 * The CSV files of a directory written again as Parquet by pyarrow: each file's columns named
 * by its header entries, cells as text (empty ones null), things' :LABEL as a list of labels.
 */
async function writeParquetCopies(dir: string): Promise<void> {
  const script = [
    "import sys, pyarrow as pa, pyarrow.csv as pc, pyarrow.parquet as pq",
    "d = sys.argv[1]",
    "def header(name): return open(f'{d}/{name}').readline().rstrip('\\n').split(',')",
    "def write(csv, parquet, names, has_header=True):",
    "    options = pc.ReadOptions(column_names=names, skip_rows=1 if has_header else 0)",
    "    table = pc.read_csv(f'{d}/{csv}', read_options=options, convert_options=pc.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=True))",
    "    if ':LABEL' in names and csv == 'things.csv':",
    "        i = names.index(':LABEL')",
    "        table = table.set_column(i, ':LABEL', pa.array([None if v is None else v.split(';') for v in table.column(i).to_pylist()], pa.list_(pa.string())))",
    "    pq.write_table(table, f'{d}/{parquet}', row_group_size=16)",
    "persons = header('persons-header.csv')",
    "write('persons-1.csv', 'persons-1.parquet', persons, False)",
    "write('persons-2.csv', 'persons-2.parquet', persons, False)",
    "for name in ['companies', 'things', 'works', 'knows', 'owns']: write(f'{name}.csv', f'{name}.parquet', header(f'{name}.csv'))",
  ].join("\n");
  await promisify(execFile)(await pyarrowPython(), ["-c", script, dir]);
}

const importArgs = (label: (name: string) => string): string[] => [
  `--nodes=${label("Person")}=persons-header.csv,persons-1.csv,persons-2.csv`,
  `--nodes=${label("Company")}=companies.csv`,
  "--nodes=things.csv",
  `--relationships=${label("WORKS")}=works.csv`,
  "--relationships=knows.csv",
  `--relationships=${label("OWNS")}=owns.csv`,
  "--skip-bad-relationships",
  "--skip-duplicate-nodes",
];
const ARGS = importArgs(label);
/** Nodes by every label; relationships between nodes named by one label each (a store keeps labels in an order of its own). */
const NODES = { nodes: { Person: "name", Company: "name", Thing: "name", Item: "name", Admin: "name", User: "name" }, relationships: [] };

async function snapshot(on: Driver, labelSuffix = suffix): Promise<GraphSnapshot> {
  const RELATIONSHIPS = { nodes: { Person: "name", Company: "name", Thing: "name", Item: "name" }, relationships: ["WORKS", "KNOWS", "LIKES", "OWNS"].map((type) => `${type}${labelSuffix}`) };
  const [nodes, relationships] = [await readSnapshot(on, NODES, labelSuffix), await readSnapshot(on, RELATIONSHIPS, labelSuffix)];
  // Types named without the suffix, so that two loads under different suffixes compare.
  const types = Object.entries(relationships.relationships).map(([type, value]) => [type.slice(0, -labelSuffix.length), value] as const);
  return { nodes: nodes.nodes, relationships: Object.fromEntries(types) };
}

let offline: LaunchedNeo4j | undefined;
let offlineDriver: Driver | undefined;
const driver = openDriver();

async function runAdminTool(home: string): Promise<{ code: number | null; output: string }> {
  const classpath = await ensureLauncherBuilt();
  const java = await findJava();
  mkdirSync(join(home, "conf"), { recursive: true });
  // The launcher opens <data-dir>/data as its home's data folder.
  writeFileSync(join(home, "conf", "neo4j.conf"), `server.directories.data=${join(home, "data")}\nserver.memory.pagecache.size=64m\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(java, ["-Xmx512m", "-cp", classpath, "org.neo4j.cli.AdminTool", "database", "import", "full", ...ARGS, `--report-file=${join(home, "import.report")}`, "--threads=2", "neo4j"], {
      cwd: dir,
      env: { ...process.env, NEO4J_HOME: home, NEO4J_CONF: join(home, "conf") },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  writeFiles(dir, suffix);
  const home = join(dir, "offline");
  const imported = await runAdminTool(home);
  expect(imported.code, imported.output.slice(-3000)).toBe(0);
  offline = await launchNeo4j({
    dataDir: home,
    port: await freePort(),
    heap: "384m",
    pageCache: "32m",
    logFile: join(home, "neo4j.log"),
    startupTimeoutMs: 180_000,
    detached: false,
    log: () => undefined,
  });
  offlineDriver = createDriver({ uri: offline.uri });
}, 600_000);

afterAll(async () => {
  await offlineDriver?.close();
  if (offline) await stopProcess(offline.pid, 30_000);
  const labels = [suffix, parquetSuffix, pipelineSuffix].flatMap((end) => ["Person", "Company", "Thing", "Item", "__ImportId_P", "__ImportId_C"].map((name) => `${name}${end}`));
  for (const name of labels) await driver.executeQuery(`MATCH (n:\`${name}\`) DETACH DELETE n`);
  await driver.close();
});

describe("graphload import against neo4j-admin database import", () => {
  it("builds the graph the offline importer builds, into a database that holds data already", async () => {
    // Already there: a node of an imported label with an ID the files use; it must stay as it is.
    await driver.executeQuery(`CREATE (:\`${label("Person")}\` {name: "existing", pid: "1"})`);
    const result = await graphload(["import", ...ARGS, "--report-file", join(dir, "rejected.jsonl"), "--fresh", "--no-progress"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);

    const online = await snapshot(driver);
    const existing = online.nodes.Person.nodes['name="existing"'];
    expect(existing).toEqual([{ labels: ["Person"], properties: { name: { value: '"existing"', type: "STRING NOT NULL" }, pid: { value: '"1"', type: "STRING NOT NULL" } } }]);
    const { ['name="existing"']: _, ...imported } = online.nodes.Person.nodes;
    const withoutExisting: GraphSnapshot = { ...online, nodes: { ...online.nodes, Person: { count: online.nodes.Person.count - 1, nodes: imported } } };
    const reference = await snapshot(offlineDriver!);
    expect(reference.nodes.Person.count).toBe(41);
    expect(diffSnapshots(reference, withoutExisting, { names: ["neo4j-admin", "graphload"] })).toEqual([]);

    // Nothing of the import IDs is left behind.
    const leftovers = await query<{ n: number }>(driver, "MATCH (n) WHERE any(l IN labels(n) WHERE l STARTS WITH '__ImportId') OR n.__importId IS NOT NULL RETURN toFloat(count(n)) AS n");
    expect(leftovers[0].n).toBe(0);
    const constraints = await query<{ name: string }>(driver, "SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH 'graphload_import_id' RETURN name");
    expect(constraints).toEqual([]);
    // The skipped rows, those the offline importer reports: the duplicate and the relationships to missing nodes.
    const rejected = readFileSync(join(dir, "rejected.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { task: string; line: number; code: string });
    const dangling = (task: string, lines: number[]) => lines.map((line) => [task, line, "GL_ENDPOINT_NOT_FOUND"]);
    expect(rejected.map(({ task, line, code }) => [task, line, code]).sort()).toEqual(
      [
        ["nodes-1.2", 22, "Neo.ClientError.Schema.ConstraintValidationFailed"],
        ...dangling("relationships-1", [5]),
        // knows.csv names persons 22 to 29, which no file has.
        ...dangling("relationships-2", [23, 24, 25, 26, 27, 28, 29, 30]),
        ...dangling("relationships-3", [5]),
      ].sort(),
    );
    const report = readFileSync(join(dir, "offline", "import.report"), "utf8").trim().split("\n");
    expect(report).toHaveLength(rejected.length);
  }, 300_000);

  it("--input-type parquet: the same data in Parquet files named by the header builds the graph the offline importer builds from the CSV files", async () => {
    const parquetDir = workDir();
    writeFiles(parquetDir, parquetSuffix);
    await writeParquetCopies(parquetDir);
    const parquetLabel = (name: string): string => `${name}${parquetSuffix}`;
    const args = importArgs(parquetLabel).map((arg) => arg.replace("persons-header.csv,", "").replaceAll(".csv", ".parquet"));
    const result = await graphload(["import", ...args, "--input-type=parquet", "--report-file", join(parquetDir, "rejected.jsonl"), "--fresh", "--no-progress"], { cwd: parquetDir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const online = await snapshot(driver, parquetSuffix);
    const reference = await snapshot(offlineDriver!);
    expect(online.nodes.Person.count).toBe(41);
    expect(diffSnapshots(reference, online, { names: ["neo4j-admin (CSV)", "graphload (Parquet)"] })).toEqual([]);
    expect(readFileSync(join(parquetDir, "rejected.jsonl"), "utf8").trim().split("\n")).toHaveLength(readFileSync(join(dir, "offline", "import.report"), "utf8").trim().split("\n").length);
  }, 300_000);

  it("a pipeline file of format neo4j-admin sources over the same files builds the offline importer's graph", async () => {
    const pipelineDir = workDir();
    writeFiles(pipelineDir, pipelineSuffix);
    await writeParquetCopies(pipelineDir);
    const L = (name: string): string => `${name}${pipelineSuffix}`;
    writeFileSync(
      join(pipelineDir, "pipeline.yaml"),
      `version: 1
name: admin-format${pipelineSuffix}
stages:
  - name: nodes
    tasks:
      - { name: persons, source: { files: "persons-?.csv", headerFile: persons-header.csv, format: neo4j-admin }, node: { labels: [${L("Person")}] } }
      - { name: companies, source: { file: companies.csv, format: neo4j-admin }, node: { labels: [${L("Company")}] } }
      - { name: things, source: { file: things.parquet, format: neo4j-admin } }
  - name: relationships
    tasks:
      - { name: works, source: { file: works.csv, format: neo4j-admin }, relationship: { type: ${L("WORKS")} } }
      - { name: knows, source: { file: knows.csv, format: neo4j-admin } }
      - { name: owns, source: { file: owns.csv, format: neo4j-admin }, relationship: { type: ${L("OWNS")} } }
`,
    );
    const result = await graphload(["run", "pipeline.yaml", "--dead-letter", join(pipelineDir, "rejected.jsonl"), "--fresh", "--no-progress"], { cwd: pipelineDir });
    // The duplicate node and the dangling relationships are rejected rows, as in any run.
    expect(result.code, result.stderr).toBe(3);
    const online = await snapshot(driver, pipelineSuffix);
    const reference = await snapshot(offlineDriver!);
    expect(online.nodes.Person.count).toBe(41);
    expect(diffSnapshots(reference, online, { names: ["neo4j-admin", "graphload run (format neo4j-admin)"] })).toEqual([]);
    const rejected = readFileSync(join(pipelineDir, "rejected.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { task: string; code: string });
    expect(rejected.map(({ task }) => task).sort()).toEqual(["knows", "knows", "knows", "knows", "knows", "knows", "knows", "knows", "owns", "persons", "works"]);
    const leftovers = await query<{ n: number }>(driver, "MATCH (n) WHERE any(l IN labels(n) WHERE l STARTS WITH '__ImportId') OR n.__importId IS NOT NULL RETURN toFloat(count(n)) AS n");
    expect(leftovers[0].n).toBe(0);
  }, 300_000);

  it("killed mid-load and resumed, creates every node and relationship exactly once", async () => {
    const big = workDir();
    const R = `_${uniqueLabel("rs").slice(2)}`;
    const nodes = 20_000;
    const relationships = 40_000;
    writeFileSync(join(big, "people.csv"), `:ID(R${R}),name,n:int\n` + Array.from({ length: nodes }, (_, i) => `${i},p${i},${i}`).join("\n") + "\n");
    writeFileSync(join(big, "links.csv"), `:START_ID(R${R}),:END_ID(R${R}),w:long\n` + Array.from({ length: relationships }, (_, i) => `${i % nodes},${(i * 7919) % nodes},${i}`).join("\n") + "\n");
    const args = ["import", `--nodes=Resumed${R}=people.csv`, `--relationships=LINK${R}=links.csv`, "--batch-size", "500", "--threads", "2", "--no-progress"];
    const { child, exited } = startGraphload([...args, "--fresh"], { cwd: big });
    const count = async (cypher: string): Promise<number> => (await query<{ n: number }>(driver, cypher))[0].n;
    // Killed once part of the relationships are in: nodes all committed, relationships half-way.
    for (let waited = 0; ; waited += 100) {
      if ((await count(`MATCH ()-[r:\`LINK${R}\`]->() RETURN toFloat(count(r)) AS n`)) > 2_000) break;
      if (child.exitCode !== null || waited > 240_000) throw new Error(`the import ended (${child.exitCode}) before it could be killed`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill("SIGKILL");
    await exited;
    expect(await count(`MATCH ()-[r:\`LINK${R}\`]->() RETURN toFloat(count(r)) AS n`)).toBeLessThan(relationships);

    const resumed = await graphload([...args, "--resume"], { cwd: big });
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(await count(`MATCH (n:\`Resumed${R}\`) RETURN toFloat(count(DISTINCT n.name)) AS n`)).toBe(nodes);
    expect(await count(`MATCH (n:\`Resumed${R}\`) RETURN toFloat(count(n)) AS n`)).toBe(nodes);
    expect(await count(`MATCH ()-[r:\`LINK${R}\`]->() RETURN toFloat(count(DISTINCT r.w)) AS n`)).toBe(relationships);
    expect(await count(`MATCH ()-[r:\`LINK${R}\`]->() RETURN toFloat(count(r)) AS n`)).toBe(relationships);
    // Each relationship between the nodes its row names.
    expect(await count(`MATCH (a)-[r:\`LINK${R}\`]->(b) WHERE a.n <> r.w % ${nodes} OR b.n <> (r.w * 7919) % ${nodes} RETURN toFloat(count(r)) AS n`)).toBe(0);
    expect(await count(`MATCH (n:\`Resumed${R}\`) WHERE n.__importId IS NOT NULL OR any(l IN labels(n) WHERE l STARTS WITH '__ImportId') RETURN toFloat(count(n)) AS n`)).toBe(0);
    const session = driver.session();
    await session.run(`MATCH (n:\`Resumed${R}\`) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`).finally(() => session.close());
  }, 400_000);
});
