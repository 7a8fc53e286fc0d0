#!/usr/bin/env node
// graphload import (online) against neo4j-admin database import full (offline) on the same
// files, and against graphload run with a hand-written pipeline on the same data:
//   npm run bench:admin-import -- [--nodes 200000] [--relationships 400000] [--threads 4] [--heap 1g] [--page-cache 512m]
// The offline importer runs from the Neo4j jars the local Neo4j is built from (its JVM start
// included in its time; its own "IMPORT DONE in" figure is printed too). Each online
// contender gets a fresh server on an empty database, started before its clock starts.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import neo4j from "neo4j-driver";
import { startLocalNeo4j } from "../dist/index.js";
import { findJava } from "../dist/local-neo4j/java-tools.js";
import { ensureLauncherBuilt } from "../dist/local-neo4j/launcher-build.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(root, "bin/graphload.js");
const { values: args } = parseArgs({
  options: {
    nodes: { type: "string", default: "200000" },
    relationships: { type: "string", default: "400000" },
    threads: { type: "string", default: "4" },
    heap: { type: "string", default: "1g" },
    "page-cache": { type: "string", default: "512m" },
  },
});
const nodes = Number(args.nodes);
const relationships = Number(args.relationships);
const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const work = mkdtempSync(join(tmpdir(), "graphload-bench-admin-"));

// ---- the files, in neo4j-admin's header format: a header file apart, two data files, a label column
function writeFiles() {
  writeFileSync(join(work, "persons-header.csv"), "personId:ID(Person),name,age:int,born:date,score:double,tags:string[],:LABEL\n");
  const person = (i) => `${i},Person ${i},${18 + (i % 60)},19${String(50 + (i % 50))}-0${1 + (i % 9)}-1${i % 10},${(i % 1000) / 10},a;b${i % 7},${i % 3 ? "Customer" : "Customer;Vip"}`;
  const half = Math.floor(nodes / 2);
  writeFileSync(join(work, "persons-1.csv"), Array.from({ length: half }, (_, i) => person(i)).join("\n") + "\n");
  writeFileSync(join(work, "persons-2.csv"), Array.from({ length: nodes - half }, (_, i) => person(half + i)).join("\n") + "\n");
  let state = 42;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const rows = Array.from({ length: relationships }, () => `${next() % nodes},${next() % nodes},${2000 + (next() % 25)}`);
  writeFileSync(join(work, "knows.csv"), ":START_ID(Person),:END_ID(Person),since:int\n" + rows.join("\n") + "\n");
}

const ADMIN_ARGS = ["--nodes=Person=persons-header.csv,persons-1.csv,persons-2.csv", "--relationships=KNOWS=knows.csv", `--threads=${args.threads}`];

/** The same graph as a person would write it for graphload run: nodes merged on personId, relationships created. */
const PIPELINE = `version: 1
name: bench-admin-hand-written
stages:
  - name: nodes
    tasks:
${["persons-1.csv", "persons-2.csv"]
  .map(
    (file) => `      - name: ${file}
        source: { file: ${join(work, file)}, header: false, columns: [personId, name, age, born, score, tags, labels] }
        node:
          labels: [Person, { column: labels, arrayDelimiter: ";" }]
          key: [personId]
          properties:
            name: name
            age: { column: age, type: integer }
            born: { column: born, type: date }
            score: { column: score, type: float }
            tags: { column: tags, type: "string[]" }`,
  )
  .join("\n")}
  - name: relationships
    tasks:
      - name: knows
        mode: create
        source: { file: ${join(work, "knows.csv")}, columns: [from, to, since] }
        relationship:
          type: KNOWS
          from: { label: Person, key: { personId: from } }
          to: { label: Person, key: { personId: to } }
          properties: { since: { column: since, type: integer } }
`;

function run(command, argv, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd: work, ...options });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output, seconds: (performance.now() - started) / 1000 }));
  });
}

async function offline() {
  const home = join(work, "offline");
  mkdirSync(join(home, "conf"), { recursive: true });
  writeFileSync(join(home, "conf", "neo4j.conf"), `server.directories.data=${join(home, "data")}\n`);
  const classpath = await ensureLauncherBuilt(log);
  const java = await findJava();
  const result = await run(java, ["-cp", classpath, "org.neo4j.cli.AdminTool", "database", "import", "full", ...ADMIN_ARGS, "neo4j"], {
    env: { ...process.env, NEO4J_HOME: home, NEO4J_CONF: join(home, "conf") },
  });
  if (result.code !== 0) throw new Error(`the offline importer failed:\n${result.output.slice(-3000)}`);
  const own = /IMPORT DONE in ([^.]+)\./.exec(result.output)?.[1];
  return { seconds: result.seconds, note: `importer's own figure: ${own}` };
}

async function online(name, argv) {
  const dataDir = join(work, `db-${name}`);
  const server = await startLocalNeo4j({ dataDir, heap: args.heap, pageCache: args["page-cache"] });
  try {
    const result = await run(process.execPath, [BIN, ...argv, "--no-progress", "--uri", server.uri]);
    if (result.code !== 0) throw new Error(`${name} exited ${result.code}:\n${result.output.slice(-3000)}`);
    const driver = neo4j.driver(server.uri);
    const counts = await driver.executeQuery("MATCH (n:Person) WITH count(n) AS n MATCH ()-[r:KNOWS]->() RETURN n, count(r) AS r");
    await driver.close();
    const [n, r] = [counts.records[0].get("n").toNumber(), counts.records[0].get("r").toNumber()];
    if (n !== nodes || r !== relationships) throw new Error(`${name} built ${n} nodes and ${r} relationships`);
    return { seconds: result.seconds };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

writeFiles();
writeFileSync(join(work, "hand-written.yaml"), PIPELINE);
log(`${nodes} nodes, ${relationships} relationships in ${work}`);
const results = {};
log("neo4j-admin database import full (offline)…");
results["neo4j-admin import (offline)"] = await offline();
log("graphload import (online)…");
results["graphload import"] = await online("import", ["import", ...ADMIN_ARGS]);
log("graphload run, hand-written pipeline…");
results["graphload run (hand-written)"] = await online("run", ["run", join(work, "hand-written.yaml"), "--concurrency", args.threads]);
rmSync(work, { recursive: true, force: true });

const rows = nodes + relationships;
const base = results["neo4j-admin import (offline)"].seconds;
console.log(`${nodes.toLocaleString("en")} nodes + ${relationships.toLocaleString("en")} relationships, --threads ${args.threads}, server heap ${args.heap}, page cache ${args["page-cache"]}`);
console.log(["contender".padEnd(30), "time".padStart(8), "rows/s".padStart(9), "× offline".padStart(10)].join(" "));
for (const [name, { seconds, note }] of Object.entries(results)) {
  console.log(
    [name.padEnd(30), `${seconds.toFixed(1)}s`.padStart(8), Math.round(rows / seconds).toLocaleString("en").padStart(9), (base / seconds).toFixed(2).padStart(10), note ?? ""].join(" "),
  );
}
