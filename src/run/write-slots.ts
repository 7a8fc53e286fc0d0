import pLimit, { type LimitFunction } from "p-limit";

/**
 * Admission for batch writes. `acquire` resolves only once the job has *started*, so a
 * reader that awaits it holds at most one pending batch: memory stays bounded by batch size
 * × concurrency however fast the input arrives. Limits nest: a task's own limit inside the
 * run-wide one.
 */
export class WriteSlots {
  private readonly limits: readonly LimitFunction[];

  constructor(limits: readonly LimitFunction[]) {
    this.limits = limits;
  }

  static of(concurrency: number): WriteSlots {
    return new WriteSlots([pLimit(concurrency)]);
  }

  /** A narrower set of slots that also holds one of these for every job. */
  within(concurrency: number): WriteSlots {
    return new WriteSlots([pLimit(concurrency), ...this.limits]);
  }

  /** Waits for a free slot, starts `job` in it, and returns the job's completion. */
  acquire(job: () => Promise<void>): Promise<{ readonly done: Promise<void> }> {
    return new Promise((started) => {
      const run = this.limits.reduceRight<() => Promise<void>>(
        (inner, limit) => () => limit(inner),
        () => {
          const done = job();
          started({ done });
          return done;
        },
      );
      // The caller observes failures through `done`; this chain must not report them twice.
      run().catch(() => undefined);
    });
  }
}
