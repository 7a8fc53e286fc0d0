import type { InputEntry } from "../input/input-entry.js";
import type { Pipeline, SourceSpec } from "../model/pipeline.js";
import { listSourceInputs } from "../source/file-source.js";

/** The inputs of a run's `file` and `files` sources, by source, listed once when it begins. */
export type SourceInputs = ReadonlyMap<string, readonly InputEntry[]>;

/**
 * Lists every `file` and `files` source of the pipeline, each once however many tasks read
 * it: the run's fingerprint and its reads then see the same files, in the same order, even
 * when a new one lands meanwhile.
 */
export async function listPipelineInputs(pipeline: Pipeline): Promise<SourceInputs> {
  const specs = new Map<string, Extract<SourceSpec, { kind: "file" | "files" }>>();
  for (const stage of pipeline.stages) {
    if (stage.kind !== "tasks") continue;
    for (const { source } of stage.tasks) {
      if (source.kind === "file" || source.kind === "files") specs.set(sourceKey(source), source);
    }
  }
  return new Map(await Promise.all([...specs].map(async ([key, spec]) => [key, await listSourceInputs(spec)] as const)));
}

/**
 * The inputs listed for a source; undefined for a source that reads no files, whose
 * settings are then never made into a key (rows from code may be a large array).
 */
export function listedInputs(inputs: SourceInputs, source: SourceSpec): readonly InputEntry[] | undefined {
  return source.kind === "file" || source.kind === "files" ? inputs.get(sourceKey(source)) : undefined;
}

/** Sources that are the same settings are one source. */
export function sourceKey(source: SourceSpec): string {
  return JSON.stringify(source);
}
