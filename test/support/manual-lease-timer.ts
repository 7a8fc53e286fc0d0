import type { LeaseTimer } from "../../src/run/run-lease.js";

/** A lease timer that fires only when the test says: `tick()` runs every renewal due. */
export class ManualLeaseTimer implements LeaseTimer {
  private readonly actions = new Set<() => Promise<void>>();

  repeat(_everyMs: number, action: () => Promise<void>): () => void {
    this.actions.add(action);
    return () => this.actions.delete(action);
  }

  get running(): number {
    return this.actions.size;
  }

  async tick(): Promise<void> {
    for (const action of [...this.actions]) await action();
  }
}
