import { parsePipeline } from "../../src/load/load-pipeline.js";
import type { Pipeline } from "../../src/model/pipeline.js";

/** A pipeline document as a test writes it: the file format, as an object. */
export type PipelineDocument = Record<string, unknown>;

type Task = Record<string, unknown>;

/** A pipeline of the given stages, resolved against `dir` as a pipeline file there would be; `top` adds top-level keys. */
export function buildPipeline(dir: string, name: string, stages: readonly Record<string, unknown>[], defaults: Record<string, unknown> = {}, top: PipelineDocument = {}): Pipeline {
  return parsePipeline(JSON.stringify({ version: 1, name, defaults, stages, ...top }), { baseDir: dir, env: {} });
}

export function stage(name: string, ...tasks: Task[]): Record<string, unknown> {
  return { name, tasks };
}

/** A node task over a file, keyed on `key`, with the given properties and any other task keys. */
export function nodeTask(name: string, file: string, labels: readonly string[], key: readonly string[], properties: Record<string, unknown> = {}, extra: Task = {}): Task {
  return { name, source: { file }, node: { labels, key, properties }, ...extra };
}

export function relationshipTask(name: string, file: string, relationship: Record<string, unknown>, extra: Task = {}): Task {
  return { name, source: { file }, relationship, ...extra };
}
