/** One task's share of a scheduler: how many of its jobs may run, and wait, at once. */
export interface JobGroup {
  readonly concurrency: number;
  /** `submit` returns once fewer than this many of the group's jobs wait, keeping memory bounded. */
  readonly maxQueued: number;
}

interface Job {
  readonly group: GroupState;
  readonly keys: ReadonlySet<number>;
  readonly run: () => Promise<void>;
}

/** A group's place in the scheduler, made by `group()`. */
export interface GroupState {
  readonly limits: JobGroup;
  running: number;
  queued: number;
  wakeSubmitter: (() => void) | undefined;
  wakeDrain: (() => void) | undefined;
}

/**
 * Starts the jobs of a stage (one per batch, of any of its tasks) so that at most `limit`
 * run at once, each group within its own concurrency, and no two running at once share a
 * key (hashes, buckets.ts). Jobs sharing a key start in the order they were submitted: a
 * job waits while an earlier one that shares a key with it waits, which is what keeps the
 * rows of one key in source order. Jobs that touch no key only wait for a free slot.
 */
export class BatchScheduler {
  private readonly limit: number;
  private readonly queue: Job[] = [];
  private readonly busy = new Set<number>();
  private running = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  group(limits: JobGroup): GroupState {
    return { limits: { concurrency: Math.max(1, limits.concurrency), maxQueued: Math.max(1, limits.maxQueued) }, running: 0, queued: 0, wakeSubmitter: undefined, wakeDrain: undefined };
  }

  /** `run` must not reject: failures are the job's to record. */
  async submit(group: GroupState, keys: ReadonlySet<number>, run: () => Promise<void>): Promise<void> {
    this.queue.push({ group, keys, run });
    group.queued++;
    this.pump();
    while (group.queued >= group.limits.maxQueued) await new Promise<void>((resolve) => (group.wakeSubmitter = resolve));
  }

  /** Resolves when every job of `group` submitted so far has finished. */
  async drain(group: GroupState): Promise<void> {
    while (group.queued > 0 || group.running > 0) await new Promise<void>((resolve) => (group.wakeDrain = resolve));
  }

  private pump(): void {
    // Buckets of earlier jobs still waiting: a later job touching one of them waits too.
    const claimed = new Set<number>();
    for (let i = 0; i < this.queue.length && this.running < this.limit; ) {
      const job = this.queue[i];
      const free = job.group.running < job.group.limits.concurrency && !touches(job.keys, this.busy) && !touches(job.keys, claimed);
      if (!free) {
        for (const key of job.keys) claimed.add(key);
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.start(job);
    }
  }

  private start(job: Job): void {
    const { group } = job;
    group.queued--;
    group.running++;
    this.running++;
    for (const key of job.keys) this.busy.add(key);
    if (group.queued < group.limits.maxQueued) wake(group, "wakeSubmitter");
    void job.run().finally(() => {
      group.running--;
      this.running--;
      for (const key of job.keys) this.busy.delete(key);
      if (group.queued === 0 && group.running === 0) wake(group, "wakeDrain");
      this.pump();
    });
  }
}

function touches(keys: ReadonlySet<number>, set: ReadonlySet<number>): boolean {
  if (set.size === 0) return false;
  for (const key of keys) if (set.has(key)) return true;
  return false;
}

function wake(group: GroupState, which: "wakeSubmitter" | "wakeDrain"): void {
  const resolve = group[which];
  group[which] = undefined;
  resolve?.();
}
