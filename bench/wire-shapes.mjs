#!/usr/bin/env node
// Wire shapes side by side: a batch as one list per row (`UNWIND $rows AS row … row[0]`) or
// as one list per column (`UNWIND range(0, size($c0) - 1) AS i … $c0[i]`), its text columns
// as one string each (graphload's) or as lists (`columns-text-lists`), and merge with or
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
import { batchParameters, textParameter } from "../dist/plan/batch-parameters.js";
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

// graphload's statement reads columns, its text columns as one string each where it can;
// the same statement reading a list per row, as it did before.
const statement = plan.statement("");
const toRows = (cypher) =>
  cypher
    .replace(/^WITH coalesce\(split.*\n/, "")
    .replace(/CALL \(i(, c\d+)*\) \{/, "CALL (i) {")
    .replace("UNWIND range(0, size($c0) - 1) AS i\nCALL (i) {", "UNWIND range(0, size($rows) - 1) AS i\nWITH i, $rows[i] AS row\nCALL (row) {")
    .replace(/UNWIND range\(0, size\(\$?c0\) - 1\) AS i/, "UNWIND $rows AS row")
    .replace(/\$?c(\d+)\[i\]/g, "row[$1]");
const noCoalesce = (cypher) => cypher.replace(/coalesce\((.*?), n\.`?\w+`?\)/g, "$1");
const asRows = (batch) => batchParameters({ kind: "rows" }, batch);
const asColumns = (batch) => batchParameters(plan.shape, batch);
// Text columns as lists too: each `$t…` null.
const textNulls = Object.fromEntries(plan.shape.text.map((position) => [textParameter(position), null]));
const asLists = (batch) => ({ ...batchParameters({ kind: "columns", text: [] }, batch), ...textNulls });
const ALL_SHAPES = {
  rows: { cypher: toRows(statement), parameters: asRows },
  columns: { cypher: statement, parameters: asColumns },
  ...(plan.shape.text.length > 0 ? { "columns-text-lists": { cypher: statement, parameters: asLists } } : {}),
  ...(statement.includes("coalesce(")
    ? {
        "rows-no-coalesce": { cypher: noCoalesce(toRows(statement)), parameters: asRows },
        "columns-no-coalesce": { cypher: noCoalesce(statement), parameters: asColumns },
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
