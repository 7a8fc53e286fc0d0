import { createHash } from "node:crypto";
import type { Pipeline } from "../model/pipeline.js";
import { listedInputs, type SourceInputs } from "./source-inputs.js";

/** One input as a run found it. */
export interface InputVersion {
  readonly location: string;
  /** As logs and dead letters name it. */
  readonly name: string;
  readonly size: number | null;
  /** Its ETag, else its modification time (ms). */
  readonly version: string | number | null;
}

/**
 * What a run's fingerprint is made of, kept in its record so that a resume refused for a
 * change can say which input changed.
 */
export interface RunInputs {
  /** A hash of the pipeline's settings. */
  readonly pipeline: string;
  /** Inputs of `file` and `files` sources, in the order tasks read them. */
  readonly files: readonly InputVersion[];
}

/**
 * Identifies a pipeline and its inputs: resuming is only safe when the batches would be cut
 * from the same records as before, and records are numbered across a glob's files in
 * order, so a file added, removed or changed anywhere changes it. Local files are
 * identified by size and modification time (hashing them would mean reading every input
 * twice), objects and web resources by size and ETag; stdin cannot be checked.
 */
export function runInputs(pipeline: Pipeline, inputs: SourceInputs): RunInputs {
  const files: InputVersion[] = [];
  for (const stage of pipeline.stages) {
    if (stage.kind !== "tasks") continue;
    for (const task of stage.tasks) {
      // An incremental glob's new files are the next increment, not a change: its run fixes the files it reads (task-increment.ts).
      if (task.source.kind === "files" && task.source.incremental) continue;
      for (const entry of listedInputs(inputs, task.source) ?? []) {
        files.push({ location: entry.location, name: entry.name, size: entry.size ?? null, version: entry.etag ?? entry.modified ?? null });
      }
    }
  }
  // Rows from code are the program's to give again in the same order; their settings count, not the rows.
  const settings = JSON.stringify({ defaults: pipeline.defaults, stages: pipeline.stages }, (key, value: unknown) => (key === "rows" && isIterable(value) ? "rows" : value));
  return { pipeline: sha256(settings), files };
}

export function runFingerprint(inputs: RunInputs): string {
  return sha256(JSON.stringify([inputs.pipeline, inputs.files.map(({ location, size, version }) => [location, size, version])]));
}

/** What changed between the interrupted run's inputs and this run's, for a person: "input file x.csv was modified". */
export function describeChange(before: RunInputs | undefined, now: RunInputs): string {
  if (!before) return "the pipeline or one of its input files changed";
  if (before.pipeline !== now.pipeline) return "the pipeline changed";
  const earlier = new Map(before.files.map((file) => [file.location, file]));
  for (const file of now.files) {
    const old = earlier.get(file.location);
    if (!old) return `input file ${file.name} was added`;
    if (old.size !== file.size) return `input file ${file.name} changed size (${old.size ?? "unknown"} bytes, now ${file.size ?? "unknown"})`;
    if (old.version !== file.version) return `input file ${file.name} was ${typeof file.version === "string" ? "replaced (a new ETag)" : "modified"}`;
  }
  const current = new Set(now.files.map((file) => file.location));
  const gone = before.files.find((file) => !current.has(file.location));
  return gone ? `input file ${gone.name} was removed` : "the order of the input files changed";
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function isIterable(value: unknown): boolean {
  return value !== null && typeof value === "object" && (Symbol.iterator in value || Symbol.asyncIterator in value);
}
