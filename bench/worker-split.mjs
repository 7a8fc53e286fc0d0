#!/usr/bin/env node
// One thread or two for the client's work: reading, parsing and mapping a task's source, then
// packing each batch for Bolt (bench/encoding-sink.mjs; nothing is sent). With --workers 1 a
// worker thread parses and maps, and hands each batch's columns to the main thread, which
// packs them; with 0 the main thread does everything. Prints rows, wall seconds and CPU µs per
// row of the whole process (every thread counted), as JSON.
//   node bench/worker-split.mjs pipeline.yaml [--workers 0|1]
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { parseArgs } from "node:util";
import { buildPlan, loadPipeline } from "../dist/index.js";
import { batchParameters } from "../dist/plan/batch-parameters.js";
import { FILTERED } from "../dist/plan/row-mapper.js";
import { openSource } from "../dist/source/open-source.js";
import { EncodingSink } from "./encoding-sink.mjs";

/** The task's batches of positional rows, as a run cuts them in source order. */
async function* batchesOf(file) {
  const plan = buildPlan(await loadPipeline(file)).stages[0].tasks[0];
  const size = plan.task.settings.batchSize === "auto" ? 5000 : plan.task.settings.batchSize;
  let rows = [];
  for await (const chunk of openSource(plan.task.source).chunks()) {
    for (const item of chunk) {
      if (item.kind !== "record") continue;
      const row = plan.mapRow(item.values);
      if (row === FILTERED) continue;
      rows.push(row);
      if (rows.length === size) {
        yield { cypher: plan.statement(""), shape: plan.shape, rows };
        rows = [];
      }
    }
  }
  if (rows.length > 0) yield { cypher: plan.statement(""), shape: plan.shape, rows };
}

if (!isMainThread) {
  // Columns cross to the main thread as structured clones: what a worker must pay to hand work over.
  for await (const batch of batchesOf(workerData.file)) parentPort.postMessage({ cypher: batch.cypher, parameters: batchParameters(batch.shape, batch.rows), count: batch.rows.length });
  parentPort.postMessage(null);
} else {
  const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { workers: { type: "string", default: "0" } } });
  const sink = new EncodingSink();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let rows = 0;
  if (args.workers === "0") {
    for await (const batch of batchesOf(positionals[0])) {
      sink.send(batch.cypher, batchParameters(batch.shape, batch.rows));
      rows += batch.rows.length;
    }
  } else {
    const worker = new Worker(new URL(import.meta.url), { workerData: { file: positionals[0] } });
    await new Promise((resolve, reject) => {
      worker.on("message", (message) => {
        if (message === null) return resolve();
        sink.send(message.cypher, message.parameters);
        rows += message.count;
      });
      worker.on("error", reject);
    });
    await worker.terminate();
  }
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ workers: Number(args.workers), rows, seconds: +seconds.toFixed(2), cpuUsPerRow: +((used.user + used.system) / rows).toFixed(2), megabytes: +(sink.bytes / 2 ** 20).toFixed(1) }));
}
