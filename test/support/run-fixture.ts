import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Driver } from "neo4j-driver";
import { parsePipeline } from "../../src/load/load-pipeline.js";
import type { Pipeline } from "../../src/model/pipeline.js";
import { runPipeline, type RunOptions } from "../../src/run/run-pipeline.js";
import type { RunSummary } from "../../src/run/run-summary.js";

/** A temporary folder holding a test's input files and dead-letter file. */
export function workDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "graphload-test-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export function pipelineIn(dir: string, yaml: string): Pipeline {
  return parsePipeline(yaml, { baseDir: dir, env: {} });
}

/** Runs a pipeline given as YAML text over files in `dir`, rejected rows going to `dir/rejected.jsonl`. */
export function runIn(
  driver: Driver,
  dir: string,
  yaml: string,
  options: Partial<RunOptions> = {},
): Promise<RunSummary> {
  return runPipeline(pipelineIn(dir, yaml), { driver, deadLetterFile: join(dir, "rejected.jsonl"), ...options });
}

/** Runs a read query and returns its records as plain objects. */
export async function query<T = Record<string, unknown>>(driver: Driver, cypher: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await driver.executeQuery(cypher, params, { routing: "READ" });
  return result.records.map((record) => record.toObject() as T);
}
