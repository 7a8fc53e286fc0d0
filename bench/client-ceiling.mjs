#!/usr/bin/env node
// graphload's client ceiling: runs a pipeline with every batch encoded as the driver would
// send it and then discarded (encoding-sink.mjs), and prints rows/s and CPU seconds as JSON.
// The server at NEO4J_URI only keeps the run's checkpoint record; no batch reaches it.
//   node bench/client-ceiling.mjs pipeline.yaml
import { resolve } from "node:path";
import { createDriver, loadPipeline, runPipeline } from "../dist/index.js";
import { EncodingSink } from "./encoding-sink.mjs";

const file = resolve(process.argv[2]);
const pipeline = await loadPipeline(file);
const driver = createDriver({ uri: process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687", concurrency: 4 });
const sink = new EncodingSink();
const cpu = process.cpuUsage();
const started = performance.now();
const summary = await runPipeline(pipeline, { driver, sink, fresh: true, deadLetterFile: `${file}.rejected.jsonl` });
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
await driver.close();
const rows = summary.totals().rowsWritten;
console.log(
  JSON.stringify({
    status: summary.status,
    rows,
    seconds: +seconds.toFixed(2),
    rowsPerSecond: Math.round(rows / seconds),
    cpuSeconds: +((used.user + used.system) / 1e6).toFixed(2),
    megabytesEncoded: +(sink.bytes / 2 ** 20).toFixed(1),
    batches: sink.batches,
  }),
);
