/**
 * Starts jobs so that no two running at once share a bucket (see mix-and-batch.ts), at most
 * `concurrency` at a time, taking the oldest job that fits; jobs that touch no bucket just
 * run in order within the limit. `submit` returns once fewer than
 * `maxQueued` jobs wait, so a reader that awaits it keeps memory bounded.
 */
export class LaneDispatcher {
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly queue: { readonly buckets: readonly number[]; readonly job: () => Promise<void> }[] = [];
  private readonly busy = new Set<number>();
  private running = 0;
  private wakeReader: (() => void) | undefined;
  private wakeDrain: (() => void) | undefined;

  constructor(concurrency: number, maxQueued: number) {
    this.concurrency = concurrency;
    this.maxQueued = Math.max(1, maxQueued);
  }

  /** `job` must not reject: failures are the job's to record. */
  async submit(buckets: readonly number[], job: () => Promise<void>): Promise<void> {
    this.queue.push({ buckets, job });
    this.pump();
    while (this.queue.length >= this.maxQueued) await new Promise<void>((resolve) => (this.wakeReader = resolve));
  }

  /** Resolves when every submitted job has finished. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.running > 0) await new Promise<void>((resolve) => (this.wakeDrain = resolve));
  }

  private pump(): void {
    for (let i = 0; i < this.queue.length && this.running < this.concurrency; ) {
      const { buckets, job } = this.queue[i];
      if (buckets.some((bucket) => this.busy.has(bucket))) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.running++;
      buckets.forEach((bucket) => this.busy.add(bucket));
      void job().finally(() => {
        this.running--;
        buckets.forEach((bucket) => this.busy.delete(bucket));
        this.pump();
      });
    }
    if (this.queue.length < this.maxQueued) this.wake("wakeReader");
    if (this.queue.length === 0 && this.running === 0) this.wake("wakeDrain");
  }

  private wake(which: "wakeReader" | "wakeDrain"): void {
    const resolve = this[which];
    this[which] = undefined;
    resolve?.();
  }
}
