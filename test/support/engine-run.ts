import { join } from "node:path";
import type { Pipeline } from "../../src/model/pipeline.js";
import { runPipeline, type RunOptions } from "../../src/run/run-pipeline.js";
import type { MemoryCheckpointStore } from "./memory-checkpoint-store.js";
import type { MemorySink } from "./memory-sink.js";
import { buildPipeline, nodeTask, stage } from "./pipeline-builder.js";

/** `count` rows `id,seq` whose ids cycle through `keys` values, so keys repeat in a known order. */
export function seqRowsCsv(count: number, keys = count): string {
  return ["id,seq", ...Array.from({ length: count }, (_, i) => `k${i % keys},${i}`)].join("\n") + "\n";
}

/** The engine tests' pipeline: rows.csv's rows as Person nodes keyed by id. */
export function peopleRun(dir: string, settings: Record<string, unknown>, tasks = [nodeTask("people", "rows.csv", ["Person"], ["id"], { id: "id", seq: "seq" })]): Pipeline {
  return buildPipeline(dir, "people", [stage("nodes", ...tasks)], settings);
}

/** Runs `pipeline` against the in-memory fakes, its dead-letter file in `dir`, retrying without waiting. */
export function runOnFakes(pipeline: Pipeline, dir: string, store: MemoryCheckpointStore, sink: MemorySink, options: Partial<RunOptions> = {}) {
  return runPipeline(pipeline, { sink, checkpoints: store, deadLetterFile: join(dir, "rejected.jsonl"), timers: { sleep: async () => undefined }, ...options });
}
