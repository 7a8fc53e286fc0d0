#!/usr/bin/env node
// Parquet against CSV for the same rows, and memory on a Parquet file larger than the heap:
//   npm run build && node bench/parquet.mjs [--persons 1000000] [--row-group 100000] [--large 5000000] [--heap 96] [--seed 42]
// 1. reader: hyparquet alone, every row as an object, a row group at a time (rows/s, peak RSS);
// 2. client: graphload runs the same persons pipeline from CSV (typed columns) and from Parquet
//    (the file's own types), every batch encoded for Bolt and discarded (client-ceiling.mjs),
//    so the figures are the client's whole work per row, whatever a server could take;
// 3. memory: the client on --large rows with --max-old-space-size=--heap (MB), a Parquet file
//    larger than that heap, against --persons rows: peak RSS must not grow with the file.
// The server at NEO4J_URI (default bolt://127.0.0.1:7687) only keeps each run's checkpoint record.
// Files are written by pyarrow (snappy, as it writes by default) from bench/out/venv-pyarrow.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generatePersons } from "./generate-people.mjs";
import { venvPython } from "./python-venv.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    persons: { type: "string", default: "1000000" },
    large: { type: "string", default: "5000000" },
    "row-group": { type: "string", default: "100000" },
    heap: { type: "string", default: "96" },
    seed: { type: "string", default: "42" },
  },
});
const log = (line) => process.stderr.write(`[parquet bench] ${line}\n`);
const out = join(root, "bench/out/parquet");
mkdirSync(out, { recursive: true });

// ---- pyarrow, pinned like the tests' writer
const REQUIREMENT = "pyarrow==26.0.1";
const python = venvPython(join(root, "bench/out/venv-pyarrow"), [REQUIREMENT], REQUIREMENT, log);

async function files(count) {
  const csv = join(out, `persons-${count}.csv`);
  const parquet = join(out, `persons-${count}-rg${args["row-group"]}.parquet`);
  if (!existsSync(csv)) {
    log(`writing ${csv}`);
    await generatePersons(csv, count, Number(args.seed));
  }
  if (!existsSync(parquet)) {
    log(`writing ${parquet}`);
    execFileSync(python, [join(root, "bench/people-to-parquet.py"), csv, parquet, "--row-group", args["row-group"]], { stdio: ["ignore", "ignore", "inherit"] });
  }
  return { csv, parquet };
}

const PROPERTIES = {
  csv: "{ name: name, email: email, age: { column: age, type: integer }, born: { column: born, type: date }, score: { column: score, type: float } }",
  parquet: "{ name: name, email: email, age: age, born: born, score: score }",
};

function pipeline(name, file, format) {
  const key = format === "csv" ? "{ column: id, type: integer }" : "id";
  const path = join(out, `${name}.yaml`);
  writeFileSync(
    path,
    `version: 1
name: ${name}
schema: { create: false }
stages:
  - name: nodes
    tasks:
      - name: persons
        source: { file: ${JSON.stringify(file)} }
        node: { labels: [BenchPerson], key: [id], properties: ${PROPERTIES[format].replace("{ ", `{ id: ${key}, `)} }
`,
  );
  return path;
}

/** A node process with report-usage.mjs preloaded: its JSON line on stdout and its peak RSS and CPU. */
function measured(nodeArgs, script, scriptArgs) {
  const result = spawnSync(process.execPath, [...nodeArgs, "--import", join(root, "bench/report-usage.mjs"), script, ...scriptArgs], {
    encoding: "utf8",
    env: { ...process.env, NEO4J_URI: process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687" },
    maxBuffer: 64 << 20,
  });
  const usage = /graphload-usage (\{.*\})/.exec(result.stderr);
  if (result.status !== 0 || !usage) throw new Error(`${script} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const { maxRssKb, userCpuUs, systemCpuUs } = JSON.parse(usage[1]);
  const line = result.stdout.trim().split("\n").at(-1);
  return { ...JSON.parse(line), peakRssMB: Math.round(maxRssKb / 1024), processCpuSeconds: +((userCpuUs + systemCpuUs) / 1e6).toFixed(2) };
}

const rows = [];
const base = await files(Number(args.persons));
const mb = (path) => +(statSync(path).size / 2 ** 20).toFixed(1);
log(`CSV ${mb(base.csv)} MB, Parquet ${mb(base.parquet)} MB`);

log("1. hyparquet alone");
rows.push({ part: "reader", format: "parquet", persons: Number(args.persons), ...measured([], join(root, "bench/parquet-reader.mjs"), [base.parquet]) });

for (const format of ["csv", "parquet"]) {
  log(`2. client, ${format}`);
  rows.push({ part: "client", format, persons: Number(args.persons), ...measured([], join(root, "bench/client-ceiling.mjs"), [pipeline(`bench-parquet-${format}`, base[format], format)]) });
}

const large = await files(Number(args.large));
log(`3. memory: ${args.large} rows, Parquet ${mb(large.parquet)} MB, heap ${args.heap} MB`);
for (const [count, file] of [
  [Number(args.persons), base.parquet],
  [Number(args.large), large.parquet],
]) {
  rows.push({ part: `heap ${args.heap} MB`, format: "parquet", persons: count, fileMB: mb(file), ...measured([`--max-old-space-size=${args.heap}`], join(root, "bench/client-ceiling.mjs"), [pipeline(`bench-parquet-heap-${count}`, file, "parquet")]) });
}

console.log("part          format   persons    rows/s  time s  peak RSS MB  CPU s");
for (const row of rows) {
  console.log(
    `${row.part.padEnd(13)} ${row.format.padEnd(8)} ${String(row.persons).padStart(8)} ${String(row.rowsPerSecond).padStart(9)} ${String(row.seconds).padStart(7)} ${String(row.peakRssMB).padStart(12)} ${String(row.processCpuSeconds).padStart(6)}`,
  );
}
writeFileSync(join(out, "results.json"), JSON.stringify(rows, null, 2));
