import { createHash } from "node:crypto";
import type { Pipeline } from "../model/pipeline.js";
import { sourceKey, type SourceInputs } from "./source-inputs.js";

/**
 * Identifies a pipeline and its inputs: resuming is only safe when the batches would be cut
 * from the same records as before, and records are numbered across a glob's files in
 * order, so a file added, removed or changed anywhere changes it. Local files are
 * identified by size and modification time (hashing them would mean reading every input
 * twice), objects and web resources by size and ETag; stdin cannot be checked.
 */
export function runFingerprint(pipeline: Pipeline, inputs: SourceInputs): string {
  const hash = createHash("sha256");
  // Rows from code are the program's to give again in the same order; their settings count, not the rows.
  hash.update(JSON.stringify({ defaults: pipeline.defaults, stages: pipeline.stages }, (key, value: unknown) => (key === "rows" && isIterable(value) ? "rows" : value)));
  for (const stage of pipeline.stages) {
    if (stage.kind !== "tasks") continue;
    for (const task of stage.tasks) {
      // An incremental glob's new files are the next increment, not a change: its run fixes the files it reads (task-increment.ts).
      if (task.source.kind === "files" && task.source.incremental) continue;
      for (const entry of inputs.get(sourceKey(task.source)) ?? []) {
        hash.update(`\u0000${entry.location}\u0000${entry.size}\u0000${entry.etag ?? entry.modified}`);
      }
    }
  }
  return hash.digest("hex");
}

function isIterable(value: unknown): boolean {
  return value !== null && typeof value === "object" && (Symbol.iterator in value || Symbol.asyncIterator in value);
}
