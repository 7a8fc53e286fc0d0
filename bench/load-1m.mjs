#!/usr/bin/env node
// Loads a generated CSV of persons (1,000,000 rows by default) with graphload in create mode
// into the Neo4j of NEO4J_URI (default: the local one at bolt://127.0.0.1:7687, started with
// `graphload neo4j start`), prints rows/s and graphload's peak RSS, then deletes what it wrote.
//   node bench/load-1m.mjs [rows] [seed]
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import neo4j from "neo4j-driver";
import { generatePersons } from "./generate-people.mjs";

const rows = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 42);
const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "graphload-bench-"));
const label = `BenchPerson${Date.now()}`;

await generatePersons(join(dir, "persons.csv"), rows, seed);
writeFileSync(
  join(dir, "pipeline.yaml"),
  `version: 1
name: bench-load
stages:
  - name: persons
    tasks:
      - name: persons
        source: { file: persons.csv }
        node:
          labels: [${label}]
          key: [id]
          properties:
            id: { column: id, type: integer }
            name: name
            email: email
            age: { column: age, type: integer }
            born: { column: born, type: date }
            score: { column: score, type: float }
        mode: create
`,
);

const started = performance.now();
const env = { ...process.env, NEO4J_URI: process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687" };
const child = spawn(process.execPath, ["--import", join(root, "bench/report-usage.mjs"), join(root, "bin/graphload.js"), "run", "pipeline.yaml", "--summary-json", "summary.json", "--no-progress"], {
  cwd: dir,
  env,
  stdio: ["ignore", "inherit", "pipe"],
});
let stderr = "";
child.stderr.on("data", (chunk) => (stderr += chunk));
const code = await new Promise((resolve) => child.on("close", resolve));
const seconds = (performance.now() - started) / 1000;
const usage = JSON.parse(/graphload-usage (.*)/.exec(stderr)?.[1] ?? "{}");
if (code !== 0) {
  process.stderr.write(stderr);
  process.exit(1);
}
console.log(
  JSON.stringify({ rows, seconds: +seconds.toFixed(1), rowsPerSecond: Math.round(rows / seconds), peakRssMb: Math.round(usage.maxRssKb / 1024), cpuSeconds: +((usage.userCpuUs + usage.systemCpuUs) / 1e6).toFixed(1) }),
);

// The benchmark's nodes would otherwise stay in the user's database.
const driver = neo4j.driver(process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687");
const session = driver.session();
await session.run(`MATCH (n:${label}) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`);
await session.close();
await driver.close();
