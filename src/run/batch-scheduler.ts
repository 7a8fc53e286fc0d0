import { bucketOf } from "./buckets.js";

/** One task's share of a scheduler: how many of its jobs may run, and wait, at once. */
export interface JobGroup {
  readonly concurrency: number;
  /** `submit` returns once fewer than this many of the group's jobs wait, keeping memory bounded. */
  readonly maxQueued: number;
}

interface Job {
  readonly group: GroupState;
  readonly keys: ReadonlySet<number>;
  /** A bit for the bucket of each of its keys: jobs whose bits are disjoint share no key. */
  readonly buckets: Uint32Array;
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
 *
 * A batch touches thousands of keys, so two jobs are compared by their buckets first: a
 * routed task's batch holds the keys of one bucket or two (its lane), and jobs of other lanes
 * are told apart without looking at a key.
 */
export class BatchScheduler {
  private readonly limit: number;
  private readonly buckets: number;
  private readonly queue: Job[] = [];
  private readonly running = new Set<Job>();

  constructor(limit: number, buckets: number) {
    this.limit = limit;
    this.buckets = buckets;
  }

  group(limits: JobGroup): GroupState {
    return { limits: { concurrency: Math.max(1, limits.concurrency), maxQueued: Math.max(1, limits.maxQueued) }, running: 0, queued: 0, wakeSubmitter: undefined, wakeDrain: undefined };
  }

  /** `run` must not reject: failures are the job's to record. */
  async submit(group: GroupState, keys: ReadonlySet<number>, run: () => Promise<void>): Promise<void> {
    this.queue.push({ group, keys, buckets: bucketBits(keys, this.buckets), run });
    group.queued++;
    this.pump();
    while (group.queued >= group.limits.maxQueued) await new Promise<void>((resolve) => (group.wakeSubmitter = resolve));
  }

  /** Resolves when every job of `group` submitted so far has finished. */
  async drain(group: GroupState): Promise<void> {
    while (group.queued > 0 || group.running > 0) await new Promise<void>((resolve) => (group.wakeDrain = resolve));
  }

  private pump(): void {
    // Earlier jobs still waiting: a later job sharing a key with one of them waits too.
    const waiting: Job[] = [];
    for (let i = 0; i < this.queue.length && this.running.size < this.limit; ) {
      const job = this.queue[i];
      if (job.group.running >= job.group.limits.concurrency || sharesWithAny(job, this.running) || sharesWithAny(job, waiting)) {
        waiting.push(job);
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
    this.running.add(job);
    if (group.queued < group.limits.maxQueued) wake(group, "wakeSubmitter");
    void job.run().finally(() => {
      group.running--;
      this.running.delete(job);
      if (group.queued === 0 && group.running === 0) wake(group, "wakeDrain");
      this.pump();
    });
  }
}

function bucketBits(keys: ReadonlySet<number>, buckets: number): Uint32Array {
  const bits = new Uint32Array(Math.ceil(buckets / 32));
  for (const key of keys) {
    const bucket = bucketOf(key, buckets);
    bits[bucket >>> 5] |= 1 << (bucket & 31);
  }
  return bits;
}

function sharesWithAny(job: Job, others: Iterable<Job>): boolean {
  if (job.keys.size === 0) return false;
  for (const other of others) if (shareKey(job, other)) return true;
  return false;
}

function shareKey(a: Job, b: Job): boolean {
  let bucket = false;
  for (let word = 0; word < a.buckets.length && !bucket; word++) bucket = (a.buckets[word] & b.buckets[word]) !== 0;
  if (!bucket) return false;
  const [fewer, more] = a.keys.size <= b.keys.size ? [a.keys, b.keys] : [b.keys, a.keys];
  for (const key of fewer) if (more.has(key)) return true;
  return false;
}

function wake(group: GroupState, which: "wakeSubmitter" | "wakeDrain"): void {
  const resolve = group[which];
  group[which] = undefined;
  resolve?.();
}
