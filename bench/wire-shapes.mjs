#!/usr/bin/env node
// Wire shapes side by side: a batch as one list per row (`UNWIND $rows AS row … row[0]`) or
// as one list per column (`UNWIND range(0, size($c0) - 1) AS i … $c0[i]`), and merge with or
// without `coalesce` per property. For each: client CPU to pack the batches (the driver's own
// packstream, bench/encoding-sink.mjs), and, given --uri, the server's CPU and the wall time
// to write them one transaction at a time on a server of this machine (its pid from --pid).
//   node bench/wire-shapes.mjs pipeline.yaml [--uri bolt://127.0.0.1:7697 --pid 1234] [--rounds 2]
// The pipeline's first task is the work; its label is cleared before each write (never use a
// label other data lives under).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import neo4j from "neo4j-driver";
import { buildPlan, loadPipeline } from "../dist/index.js";
import { openSource } from "../dist/source/open-source.js";
import { FILTERED } from "../dist/plan/row-mapper.js";
import { EncodingSink } from "./encoding-sink.mjs";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { uri: { type: "string" }, pid: { type: "string" }, rounds: { type: "string", default: "2" }, shapes: { type: "string" } },
});
const pipeline = await loadPipeline(positionals[0]);
const plan = buildPlan(pipeline).stages[0].tasks[0];
const { task } = plan;
const batchSize = task.settings.batchSize === "auto" ? 5000 : task.settings.batchSize;

const rows = [];
for await (const chunk of openSource(task.source).chunks()) {
  for (const item of chunk) {
    if (item.kind !== "record") continue;
    const row = plan.mapRow(item.values);
    if (row !== FILTERED) rows.push(row);
  }
}
const batches = [];
for (let i = 0; i < rows.length; i += batchSize) batches.push(rows.slice(i, i + batchSize));

const statement = plan.statement("");
const width = rows[0].length;
const columnsOf = (batch) => {
  const parameters = {};
  for (let c = 0; c < width; c++) parameters[`c${c}`] = batch.map((row) => row[c]);
  return parameters;
};
const toColumns = (cypher) =>
  cypher
    .replace("UNWIND range(0, size($rows) - 1) AS i\nWITH i, $rows[i] AS row\nCALL (row) {", "UNWIND range(0, size($c0) - 1) AS i\nCALL (i) {")
    .replace("UNWIND $rows AS row", "UNWIND range(0, size($c0) - 1) AS i")
    .replace(/row\[(\d+)\]/g, "$c$1[i]");
const noCoalesce = (cypher) => cypher.replace(/coalesce\((.*?), n\.`?\w+`?\)/g, "$1");
const ALL_SHAPES = {
  rows: { cypher: statement, parameters: (batch) => ({ rows: batch }) },
  columns: { cypher: toColumns(statement), parameters: columnsOf },
  ...(statement.includes("coalesce(")
    ? {
        "rows-no-coalesce": { cypher: noCoalesce(statement), parameters: (batch) => ({ rows: batch }) },
        "columns-no-coalesce": { cypher: noCoalesce(toColumns(statement)), parameters: columnsOf },
      }
    : {}),
};
const shapes = args.shapes ? args.shapes.split(",") : Object.keys(ALL_SHAPES);
for (const name of shapes) console.error(`${name}:\n${ALL_SHAPES[name].cypher}\n`);
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Packs every batch as the driver would send it; µs of CPU per row (best of three). */
function packing(shape) {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const sink = new EncodingSink();
    const before = cpu();
    for (const batch of batches) sink.send(shape.cypher, shape.parameters(batch));
    best = Math.min(best, cpu() - before);
  }
  return (best / rows.length) * 1e6;
}

const serverCpu = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

async function serverWrite(driver, shape) {
  const label = task.target.labels[0];
  const session = driver.session();
  try {
    await session.run(`MATCH (n:\`${label}\`) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`);
    const before = serverCpu(args.pid);
    const started = performance.now();
    for (const batch of batches) await session.executeWrite((tx) => tx.run(shape.cypher, shape.parameters(batch)));
    const seconds = (performance.now() - started) / 1000;
    return { serverUsPerRow: ((serverCpu(args.pid) - before) / rows.length) * 1e6, rowsPerSecond: rows.length / seconds };
  } finally {
    await session.close();
  }
}

const driver = args.uri ? neo4j.driver(args.uri) : undefined;
const results = [];
for (let round = 0; round < Number(args.rounds); round++) {
  for (const name of shapes) {
    const shape = ALL_SHAPES[name];
    const result = { round, shape: name, rows: rows.length, packUsPerRow: +packing(shape).toFixed(2) };
    if (driver) Object.assign(result, await serverWrite(driver, shape));
    console.log(JSON.stringify(result));
    results.push(result);
  }
}
await driver?.close();
