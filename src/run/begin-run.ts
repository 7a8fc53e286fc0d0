import { GraphloadError } from "../errors.js";
import type { CheckpointStore } from "./checkpoint-store.js";
import { describeChange, runFingerprint, type RunInputs } from "./run-fingerprint.js";

export interface BegunRun {
  readonly resuming: boolean;
  /** The file given, else the interrupted run's when resuming, else this run's default. */
  readonly deadLetterFile: string;
}

/**
 * Decides, before anything is written, whether this run starts afresh or continues one,
 * and where its rejected rows go. Refuses an interrupted run without `resume` or `fresh`, and a
 * resume whose pipeline or inputs changed. `resume` with nothing interrupted (no earlier
 * run, or a completed one) is a normal run, so a schedule can pass it every time. The
 * caller has prepared the store and holds the pipeline's lease.
 */
export async function beginRun(
  store: CheckpointStore,
  inputs: RunInputs,
  options: { readonly resume: boolean; readonly fresh: boolean; readonly deadLetterFile?: string; readonly defaultDeadLetterFile: string },
): Promise<BegunRun> {
  const fingerprint = runFingerprint(inputs);
  const previous = await store.previous();
  let resuming = false;
  if (previous?.status === "running" && !options.fresh) {
    if (!options.resume) {
      throw new GraphloadError(
        "GL_INTERRUPTED_RUN",
        `a run of pipeline "${store.run}" was interrupted; run again with --resume to continue it, or --fresh to start over`,
      );
    }
    if (previous.fingerprint !== fingerprint) {
      throw new GraphloadError(
        "GL_RESUME_MISMATCH",
        `cannot resume "${store.run}": ${describeChange(previous.inputs, inputs)} since the interrupted run, so its batches cannot be matched; ` +
          `use --fresh to start over (it discards the interrupted run's batch markers, never watermarks or the list of loaded files)`,
      );
    }
    resuming = true;
  } else if (previous) {
    await store.clear();
  }
  const deadLetterFile = options.deadLetterFile ?? (resuming ? previous?.deadLetterFile : undefined) ?? options.defaultDeadLetterFile;
  await store.begin(fingerprint, deadLetterFile, inputs);
  return { resuming, deadLetterFile };
}
