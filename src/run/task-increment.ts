import { GraphloadError } from "../errors.js";
import type { InputEntry } from "../input/input-entry.js";
import { inputContentId } from "../input/list-inputs.js";
import type { Incremental, SourceSpec, Task } from "../model/pipeline.js";
import type { StagePlan } from "../plan/build-plan.js";
import type { CheckpointStore, Increment, InputFile } from "./checkpoint-store.js";
import { listedInputs, type SourceInputs } from "./source-inputs.js";

/** What an incremental task reads in this run, and, for a `files` source, the inputs to open. */
export interface TaskIncrement {
  readonly increment: Increment;
  readonly inputs?: readonly InputEntry[];
}

/** Whether a source reads only what earlier runs did not: a database source beyond its watermark, a `files` source the files not loaded yet. */
export function isIncremental(source: SourceSpec): boolean {
  return "incremental" in source && source.incremental !== undefined && source.incremental !== false;
}

/** A database source's watermark settings; undefined for any other (a `files` source's `incremental: true` skips whole files instead). */
export function watermarkSettings(source: SourceSpec): Incremental | undefined {
  return "incremental" in source && typeof source.incremental === "object" ? source.incremental : undefined;
}

/**
 * The increments of the incremental tasks a run will run, by task name, decided as it
 * begins: a resume whose files changed is refused before anything is written.
 */
export async function beginIncrements(store: CheckpointStore, stages: readonly StagePlan[], inputs: SourceInputs): Promise<ReadonlyMap<string, TaskIncrement>> {
  const increments = new Map<string, TaskIncrement>();
  for (const stage of stages) {
    if (stage.kind !== "tasks") continue;
    for (const { task } of stage.tasks) {
      const increment = await beginIncrement(store, task, listedInputs(inputs, task.source));
      if (increment) increments.set(task.name, increment);
    }
  }
  return increments;
}

/**
 * What an incremental task reads in this run, fixed in the store before its first batch:
 * when this run resumes one that reached the task, that run's increment, so that its
 * markers count the same records; else, for a database source, the rows beyond the
 * watermark completed runs left (`initial` before the first), and for a `files` source the
 * files listed that no completed run loaded. Undefined for a source that is not incremental.
 * The watermark and the loaded files themselves change only when a run completes.
 */
export async function beginIncrement(store: CheckpointStore, task: Task, listed: readonly InputEntry[] = []): Promise<TaskIncrement | undefined> {
  const { source } = task;
  const files = source.kind === "files" && source.incremental;
  const incremental = watermarkSettings(source);
  if (!files && !incremental) return undefined;
  const resumed = await store.increment(task.name);
  if (files) {
    const chosen = resumed?.files ? await sameFiles(store.run, resumed.files, listed) : await newFiles(store, task.name, listed);
    if (!resumed) await store.beginIncrement(task.name, { files: chosen.map(({ file }) => file) });
    return { increment: { files: chosen.map(({ file }) => file) }, inputs: chosen.map(({ entry }) => entry) };
  }
  if (resumed) return { increment: resumed };
  const stored = (await store.watermarks()).find((watermark) => watermark.task === task.name);
  const increment = { watermark: stored ? stored.value : incremental!.initial };
  await store.beginIncrement(task.name, increment);
  return { increment };
}

interface Chosen {
  readonly entry: InputEntry;
  readonly file: InputFile;
}

/** The listed files whose name, size and content identity no completed run of the task loaded. */
async function newFiles(store: CheckpointStore, task: string, listed: readonly InputEntry[]): Promise<Chosen[]> {
  const loaded = new Map((await store.loadedFiles(task)).map((file) => [file.name, file]));
  const chosen: Chosen[] = [];
  for (const entry of listed) {
    const file = await inputFile(entry);
    const before = loaded.get(file.name);
    if (before && before.size === file.size && before.identity === file.identity) continue;
    chosen.push({ entry, file });
  }
  return chosen;
}

/** The interrupted run's files, each still there and unchanged, in its order; new ones wait for the next run. */
async function sameFiles(run: string, files: readonly InputFile[], listed: readonly InputEntry[]): Promise<Chosen[]> {
  const byName = new Map(listed.map((entry) => [entry.name, entry]));
  const chosen: Chosen[] = [];
  for (const file of files) {
    const entry = byName.get(file.name);
    const now = entry && (await inputFile(entry));
    if (!entry || !now || now.size !== file.size || now.identity !== file.identity) {
      throw new GraphloadError(
        "GL_RESUME_MISMATCH",
        `cannot resume "${run}": ${file.name}, which the interrupted run was loading, ${entry ? "changed" : "is gone"} since; use --fresh to start over`,
      );
    }
    chosen.push({ entry, file });
  }
  return chosen;
}

/** An input as later runs recognise it: a local file by its content's hash, an object by its ETag. */
async function inputFile(entry: InputEntry): Promise<InputFile> {
  return { name: entry.name, size: entry.size ?? -1, identity: (await inputContentId(entry)) ?? "" };
}
