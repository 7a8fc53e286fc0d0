import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import type { Pipeline } from "../model/pipeline.js";

/**
 * Identifies a pipeline and its inputs: resuming is only safe when the batches would be cut
 * from the same records as before. Files are identified by size and modification time
 * (hashing them would mean reading every input twice); stdin cannot be checked.
 */
export function runFingerprint(pipeline: Pipeline): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ defaults: pipeline.defaults, stages: pipeline.stages }));
  for (const stage of pipeline.stages) {
    if (stage.kind !== "tasks") continue;
    for (const task of stage.tasks) {
      if (task.source.kind !== "file") continue;
      const stat = statSync(task.source.path, { throwIfNoEntry: false });
      hash.update(`\u0000${task.source.path}\u0000${stat?.size}\u0000${stat?.mtimeMs}`);
    }
  }
  return hash.digest("hex");
}
