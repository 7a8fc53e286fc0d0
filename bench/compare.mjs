#!/usr/bin/env node
// graphload against LOAD CSV on the same server, side by side: `npm run bench`.
//   npm run bench -- [--persons 1000000] [--knows 2000000] [--seed 42] [--only nodes-create,relationships,client-ceiling]
//                    [--contenders graphload,LOAD CSV] (names starting so)
//                    [--heap 2g] [--page-cache 1g] [--batch-size 5000|auto] [--concurrency 4] [--json bench/out/results.json]
// Every contender gets a server of its own, started with the same settings on a copy of
// the same starting database, and the same files. Prints a table and writes it as JSON.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import neo4j from "neo4j-driver";
import { startLocalNeo4j } from "../dist/index.js";
import { generateKnows, generatePersons } from "./generate-people.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    persons: { type: "string", default: "1000000" },
    knows: { type: "string", default: "2000000" },
    seed: { type: "string", default: "42" },
    only: { type: "string" },
    contenders: { type: "string" },
    heap: { type: "string", default: "2g" },
    "page-cache": { type: "string", default: "1g" },
    "batch-size": { type: "string", default: "5000" },
    concurrency: { type: "string", default: "4" },
    json: { type: "string", default: join(root, "bench/out/results.json") },
  },
});
const persons = Number(args.persons);
const knows = Number(args.knows);
const seed = Number(args.seed);
// "auto" for graphload's adaptive batch size; LOAD CSV then keeps 5000 rows per transaction.
const batchSize = args["batch-size"] === "auto" ? "auto" : Number(args["batch-size"]);
const loadCsvBatch = batchSize === "auto" ? 5000 : batchSize;
const concurrency = Number(args.concurrency);
const only = args.only?.split(",");
const log = (line) => process.stderr.write(`[bench] ${line}\n`);

// ---- data: generated once per size and seed, kept under bench/out/
const dataDir = join(root, "bench/out", `data-${persons}-${knows}-${seed}`);
if (!existsSync(join(dataDir, "complete"))) {
  mkdirSync(dataDir, { recursive: true });
  log(`generating ${persons} persons and ${knows} KNOWS rows (seed ${seed}) in ${dataDir}`);
  await generatePersons(join(dataDir, "persons.csv"), persons, seed);
  await generateKnows(join(dataDir, "knows.csv"), persons, knows, seed);
  writeFileSync(join(dataDir, "complete"), "");
}

// ---- the work, said once for graphload and once for LOAD CSV
const PERSON_PROPERTIES = `
            id: { column: id, type: integer }
            name: name
            email: email
            age: { column: age, type: integer }
            born: { column: born, type: date }
            score: { column: score, type: float }`;
const personsTask = (mode) => `
      - name: persons
        source: { file: ${join(dataDir, "persons.csv")} }
        mode: ${mode}
        node:
          labels: [Person]
          key: [id]
          properties:${PERSON_PROPERTIES}`;
const knowsTask = (strategy, batch = batchSize) => `
      - name: knows
        source: { file: ${join(dataDir, "knows.csv")} }
        mode: create
        strategy: ${strategy}
        batchSize: ${batch}
        relationship:
          type: KNOWS
          from: { label: Person, key: { id: { column: from, type: integer } } }
          to: { label: Person, key: { id: { column: to, type: integer } } }
          properties: { since: { column: since, type: integer } }`;
// Hot keys: every person row merges its age group, about 80 nodes for the whole file.
const groupsTask = `
      - name: groups
        source: { file: ${join(dataDir, "persons.csv")} }
        mode: merge
        node:
          labels: [AgeGroup]
          key: [age]
          properties:
            age: { column: age, type: integer }
            lastId: { column: id, type: integer }`;
const pipeline = (task) => `version: 1
name: bench
defaults: { batchSize: ${batchSize}, concurrency: ${concurrency} }
stages:
  - name: load
    tasks:${task}
`;
const CONSTRAINT = "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE";
const PERSON_MAP = "id: toInteger(row.id), name: row.name, email: row.email, age: toInteger(row.age), born: date(row.born), score: toFloat(row.score)";
const loadCsv = (file, body, concurrent) =>
  `LOAD CSV WITH HEADERS FROM 'file:///${file}' AS row
CALL (row) { ${body} } IN ${concurrent ? `${concurrency} CONCURRENT ` : ""}TRANSACTIONS OF ${loadCsvBatch} ROWS ON ERROR CONTINUE REPORT STATUS AS s
WITH s WHERE NOT s.committed
RETURN count(DISTINCT s.transactionId) AS failed, collect(DISTINCT s.errorMessage)[0..3] AS errors`;
const CREATE_PERSON = `CREATE (:Person {${PERSON_MAP}})`;
const MERGE_PERSON = "MERGE (p:Person {id: toInteger(row.id)}) SET p.name = row.name, p.email = row.email, p.age = toInteger(row.age), p.born = date(row.born), p.score = toFloat(row.score)";
const MERGE_GROUP = "MERGE (g:AgeGroup {age: toInteger(row.age)}) SET g.lastId = toInteger(row.id)";
const CREATE_KNOWS = "MATCH (a:Person {id: toInteger(row.from)}) MATCH (b:Person {id: toInteger(row.to)}) CREATE (a)-[:KNOWS {since: toInteger(row.since)}]->(b)";

const OPERATIONS = [
  {
    op: "nodes-create",
    start: "empty",
    rows: persons,
    contenders: [
      { name: "graphload", graphload: pipeline(personsTask("create")) },
      { name: "LOAD CSV", reference: true, cypher: loadCsv("persons.csv", CREATE_PERSON, false) },
      { name: "LOAD CSV concurrent", cypher: loadCsv("persons.csv", CREATE_PERSON, true) },
    ],
  },
  {
    op: "nodes-merge",
    start: "constraint",
    rows: persons,
    contenders: [
      { name: "graphload", graphload: pipeline(personsTask("merge")) },
      { name: "LOAD CSV", reference: true, cypher: loadCsv("persons.csv", MERGE_PERSON, false) },
      { name: "LOAD CSV concurrent", cypher: loadCsv("persons.csv", MERGE_PERSON, true) },
    ],
  },
  {
    op: "groups-merge",
    start: "empty",
    rows: persons,
    contenders: [
      { name: "graphload", graphload: pipeline(groupsTask) },
      { name: "LOAD CSV", reference: true, cypher: loadCsv("persons.csv", MERGE_GROUP, false) },
    ],
  },
  {
    op: "relationships",
    start: "persons",
    rows: knows,
    contenders: [
      { name: "graphload serial", graphload: pipeline(knowsTask("serial")) },
      { name: "graphload parallel", graphload: pipeline(knowsTask("parallel")) },
      { name: "graphload mix-and-batch", graphload: pipeline(knowsTask("mix-and-batch")) },
      { name: "LOAD CSV", reference: true, cypher: loadCsv("knows.csv", CREATE_KNOWS, false) },
      { name: "LOAD CSV concurrent", cypher: loadCsv("knows.csv", CREATE_KNOWS, true) },
    ],
  },
]
  .filter((operation) => !only || only.includes(operation.op))
  .map((operation) => ({ ...operation, contenders: operation.contenders.filter((c) => !args.contenders || args.contenders.split(",").some((name) => c.name.startsWith(name))) }));

// ---- servers: one per contender, from the same starting database
const work = mkdtempSync(join(tmpdir(), "graphload-bench-"));
const serverSettings = { importDir: dataDir, heap: args.heap, pageCache: args["page-cache"] };
let personsSnapshot;

async function withServer(start, action) {
  const dataDirOfServer = join(work, `db-${Date.now()}`);
  if (start === "persons") cpSync(await personsDatabase(), dataDirOfServer, { recursive: true });
  const server = await startLocalNeo4j({ ...serverSettings, dataDir: dataDirOfServer });
  try {
    if (start === "constraint") await runCypher(server.uri, CONSTRAINT);
    return await action(server);
  } finally {
    await server.stop();
    rmSync(dataDirOfServer, { recursive: true, force: true });
  }
}

/** The persons under their constraint, loaded once and copied for every relationship contender. */
async function personsDatabase() {
  if (personsSnapshot) return personsSnapshot;
  personsSnapshot = join(work, "persons-snapshot");
  log("loading the persons every relationship contender starts from");
  const server = await startLocalNeo4j({ ...serverSettings, dataDir: personsSnapshot });
  try {
    await runCypher(server.uri, CONSTRAINT);
    const result = await runGraphload(server.uri, pipeline(personsTask("create")));
    if (result.status !== "completed") throw new Error(`loading the persons failed: ${JSON.stringify(result)}`);
  } finally {
    await server.stop();
  }
  return personsSnapshot;
}

/** CPU time the server process has used so far (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
function serverCpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function runCypher(uri, cypher) {
  const driver = neo4j.driver(uri);
  try {
    const session = driver.session();
    try {
      const result = await session.run(cypher);
      return result;
    } finally {
      await session.close();
    }
  } finally {
    await driver.close();
  }
}

// ---- contenders
async function runGraphload(uri, yaml) {
  const dir = mkdtempSync(join(work, "graphload-"));
  writeFileSync(join(dir, "bench.yaml"), yaml);
  const child = spawn(
    process.execPath,
    ["--import", join(root, "bench/report-usage.mjs"), join(root, "bin/graphload.js"), "run", "bench.yaml", "--uri", uri, "--summary-json", "summary.json", "--no-progress"],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on("close", resolve));
  const usage = JSON.parse(/graphload-usage (.*)/.exec(stderr)?.[1] ?? "{}");
  if (!existsSync(join(dir, "summary.json"))) throw new Error(`graphload exited ${code} without a summary:\n${stderr}`);
  const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
  const task = summary.stages.at(-1).tasks[0];
  rmSync(dir, { recursive: true, force: true });
  return {
    status: summary.status,
    rows: task.rowsWritten,
    nodesCreated: task.counters.nodesCreated,
    seconds: task.durationMs / 1000,
    batches: task.batches,
    failedBatches: summary.status === "completed" ? 0 : 1,
    retries: task.retries,
    deadlocks: task.deadlocks,
    peakRssMb: Math.round(usage.maxRssKb / 1024),
    cpuSeconds: (usage.userCpuUs + usage.systemCpuUs) / 1e6,
  };
}

async function runLoadCsv(uri, cypher) {
  const started = performance.now();
  const result = await runCypher(uri, cypher);
  const seconds = (performance.now() - started) / 1000;
  const counters = result.summary.counters.updates();
  const [record] = result.records;
  const failed = record.get("failed").toNumber();
  return {
    status: failed === 0 ? "completed" : "failed",
    rows: counters.relationshipsCreated || counters.nodesCreated,
    nodesCreated: counters.nodesCreated,
    seconds,
    failedBatches: failed,
    errors: record.get("errors"),
    retries: 0,
    deadlocks: record.get("errors").filter((message) => /deadlock/i.test(message)).length > 0 ? failed : 0,
  };
}

async function clientCeiling() {
  return withServer("empty", async (server) => {
    const dir = mkdtempSync(join(work, "ceiling-"));
    writeFileSync(join(dir, "bench.yaml"), pipeline(personsTask("create")));
    const child = spawn(process.execPath, ["--import", join(root, "bench/report-usage.mjs"), join(root, "bench/client-ceiling.mjs"), join(dir, "bench.yaml")], {
      env: { ...process.env, NEO4J_URI: server.uri },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on("close", resolve));
    if (code !== 0) throw new Error(`the client ceiling run failed:\n${stderr}`);
    const usage = JSON.parse(/graphload-usage (.*)/.exec(stderr)?.[1] ?? "{}");
    return { ...JSON.parse(stdout), peakRssMb: Math.round(usage.maxRssKb / 1024) };
  });
}

// ---- run everything
const results = [];
for (const operation of OPERATIONS) {
  for (const contender of operation.contenders) {
    log(`${operation.op}: ${contender.name}…`);
    const outcome = await withServer(operation.start, async (server) => {
      const before = serverCpuSeconds(server.pid);
      const measured = contender.graphload ? await runGraphload(server.uri, contender.graphload) : await runLoadCsv(server.uri, contender.cypher);
      // A merge over hot keys creates few nodes: a LOAD CSV that committed everything wrote every row.
      if (!contender.graphload && measured.status === "completed") measured.rows = operation.rows;
      return { ...measured, serverCpuSeconds: +(serverCpuSeconds(server.pid) - before).toFixed(1) };
    });
    const result = { op: operation.op, contender: contender.name, reference: contender.reference ?? false, ...outcome, rowsPerSecond: Math.round(outcome.rows / outcome.seconds) };
    log(`  ${JSON.stringify(result)}`);
    results.push(result);
  }
}
const ceiling = !only || only.includes("client-ceiling") ? await clientCeiling() : undefined;
if (ceiling) log(`client ceiling: ${JSON.stringify(ceiling)}`);
rmSync(work, { recursive: true, force: true });

for (const result of results) {
  const reference = results.find((other) => other.op === result.op && other.reference);
  result.ratio = reference ? +(result.rowsPerSecond / reference.rowsPerSecond).toFixed(2) : undefined;
}
const report = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
  settings: { persons, knows, seed, batchSize, concurrency, heap: args.heap, pageCache: args["page-cache"] },
  results,
  clientCeiling: ceiling,
};
mkdirSync(dirname(args.json), { recursive: true });
writeFileSync(args.json, JSON.stringify(report, null, 2) + "\n");
console.log(formatTable(report));
console.log(`\nJSON: ${args.json}`);

function formatTable({ results, clientCeiling }) {
  const header = ["operation", "contender", "rows/s", "time", "failed", "retries", "deadlocks", "RSS MB", "CPU s", "server CPU s", "× LOAD CSV"];
  const rows = results.map((r) => [
    r.op,
    r.contender,
    r.rowsPerSecond.toLocaleString("en-US"),
    `${r.seconds.toFixed(1)}s`,
    String(r.failedBatches),
    String(r.retries),
    String(r.deadlocks),
    r.peakRssMb === undefined ? "" : String(r.peakRssMb),
    r.cpuSeconds === undefined ? "" : r.cpuSeconds.toFixed(1),
    r.serverCpuSeconds.toFixed(1),
    r.ratio === undefined ? "" : r.ratio.toFixed(2),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  const lines = [line(header), ...rows.map(line)];
  if (clientCeiling) {
    lines.push(
      "",
      `client ceiling (persons encoded for Bolt and discarded): ${clientCeiling.rowsPerSecond.toLocaleString("en-US")} rows/s, ` +
        `${clientCeiling.cpuSeconds} CPU s for ${clientCeiling.rows.toLocaleString("en-US")} rows, peak RSS ${clientCeiling.peakRssMb} MB`,
    );
  }
  return lines.join("\n");
}
