import type { Incremental } from "../model/pipeline.js";
import type { CheckpointStore, Increment } from "./checkpoint-store.js";

/**
 * What an incremental database source reads in this run: when it resumes a run that
 * reached the task, that run's increment, so its markers count the same records; else the
 * rows beyond the watermark completed runs left (`initial` before the first), fixed in the
 * store before the first batch. The watermark itself moves only when a run completes.
 */
export async function beginIncrement(store: CheckpointStore, task: string, incremental: Incremental): Promise<Increment> {
  const resumed = await store.increment(task);
  if (resumed) return resumed;
  const stored = (await store.watermarks()).find((watermark) => watermark.task === task);
  const increment = { watermark: stored ? stored.value : incremental.initial };
  await store.beginIncrement(task, increment);
  return increment;
}
