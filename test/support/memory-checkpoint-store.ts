import type {
  BatchMarker,
  CheckpointStore,
  CommittedRange,
  HeldLease,
  Increment,
  LeaseAttempt,
  LeaseClaim,
  LeaseHolder,
  LeftoverMarkers,
  LoadedFile,
  RunRecord,
  StoredWatermark,
  TaskAdvance,
} from "../../src/run/checkpoint-store.js";
import type { RunInputs } from "../../src/run/run-fingerprint.js";

/** A lease as the memory store keeps it: times in milliseconds of its clock. */
export interface MemoryLease extends LeaseClaim {
  readonly startedAtMs: number;
  readonly renewedAtMs: number;
}

/**
 * The checkpoint store in memory. Its markers are written by MemorySink in the same step
 * as a batch's rows, as Neo4j commits them in one transaction. Its clock (`now`) plays the
 * server's, which alone judges a lease's age; a test moves it.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly run: string;
  readonly markers = new Map<string, BatchMarker>();
  record: RunRecord | undefined;
  readonly increments = new Map<string, Increment>();
  readonly storedWatermarks = new Map<string, StoredWatermark>();
  /** By task, then by file name. */
  readonly files = new Map<string, Map<string, LoadedFile>>();
  storedLease: MemoryLease | undefined;
  private readonly now: () => number;

  constructor(run: string, options: { readonly now?: () => number } = {}) {
    this.run = run;
    this.now = options.now ?? Date.now;
  }

  async prepare(): Promise<void> {}

  async previous(): Promise<RunRecord | undefined> {
    return this.record;
  }

  async begin(fingerprint: string, deadLetterFile: string, inputs?: RunInputs): Promise<void> {
    this.record = { fingerprint, status: "running", deadLetterFile, ...(inputs ? { inputs } : {}), startedAt: new Date(this.now()).toISOString() };
  }

  async committedRanges(task: string): Promise<CommittedRange[]> {
    return [...this.markers.values()]
      .filter((marker) => marker.run === this.run && marker.task === task)
      .map(({ lane, start, end, key, watermark }) => ({ lane, start, end, ...(key === null ? {} : { key }), ...(watermark === null ? {} : { watermark }) }))
      .sort((a, b) => (a.lane === b.lane ? a.start - b.start : a.lane < b.lane ? -1 : 1));
  }

  async complete(keepMarkers: boolean, advances: ReadonlyMap<string, TaskAdvance> = new Map(), lease?: string): Promise<boolean> {
    if (lease !== undefined && this.storedLease?.token !== lease) return false;
    const now = new Date().toISOString();
    for (const [task, advance] of advances) {
      if (advance.watermark !== undefined && advance.watermark !== null) this.storedWatermarks.set(task, { task, value: advance.watermark, updatedAt: now });
      if (advance.files?.length) {
        const files = this.files.get(task) ?? new Map<string, LoadedFile>();
        for (const file of advance.files) files.set(file.name, { task, ...file, loadedAt: now });
        this.files.set(task, files);
      }
    }
    this.increments.clear();
    if (this.record) this.record = { ...this.record, status: "completed" };
    if (!keepMarkers) this.markers.clear();
    return true;
  }

  async clear(): Promise<void> {
    this.markers.clear();
    this.increments.clear();
    this.record = undefined;
  }

  async increment(task: string): Promise<Increment | undefined> {
    return this.increments.get(task);
  }

  async beginIncrement(task: string, increment: Increment): Promise<void> {
    this.increments.set(task, increment);
  }

  async watermarks(): Promise<StoredWatermark[]> {
    return [...this.storedWatermarks.values()].sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
  }

  async loadedFiles(task?: string): Promise<LoadedFile[]> {
    return [...this.files.entries()]
      .filter(([name]) => task === undefined || name === task)
      .flatMap(([, files]) => [...files.values()])
      .sort((a, b) => (a.task === b.task ? (a.name < b.name ? -1 : 1) : a.task < b.task ? -1 : 1));
  }

  async resetWatermark(task: string): Promise<boolean> {
    return this.storedWatermarks.delete(task);
  }

  async forgetFiles(task: string): Promise<number> {
    const count = this.files.get(task)?.size ?? 0;
    this.files.delete(task);
    return count;
  }

  /** Reads and sets in one step, with no await between: as atomic as the server's transaction. */
  async takeLease(claim: LeaseClaim, timeoutMs: number, mayTake: (held: HeldLease) => boolean): Promise<LeaseAttempt> {
    const held = this.held(timeoutMs);
    if (held && held.token !== claim.token && !mayTake(held)) return { taken: false, holder: held };
    const now = this.now();
    this.storedLease = { ...claim, startedAtMs: now, renewedAtMs: now };
    return { taken: true, holder: this.held(timeoutMs)! };
  }

  async renewLease(token: string): Promise<boolean> {
    if (this.storedLease?.token !== token) return false;
    this.storedLease = { ...this.storedLease, renewedAtMs: this.now() };
    return true;
  }

  async releaseLease(token: string): Promise<void> {
    if (this.storedLease?.token === token) this.storedLease = undefined;
  }

  async lease(timeoutMs: number): Promise<HeldLease | undefined> {
    return this.held(timeoutMs);
  }

  async leftoverMarkers(): Promise<LeftoverMarkers[]> {
    const counts = new Map<string, number>();
    for (const marker of this.markers.values()) counts.set(marker.task, (counts.get(marker.task) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([task, batches]) => ({ task, batches }));
  }

  /** Puts a lease in place as another run would have: for tests of what a run finds. */
  setLease(holder: Omit<MemoryLease, "startedAtMs" | "renewedAtMs"> & { readonly renewedAtMs: number; readonly startedAtMs?: number }): void {
    this.storedLease = { startedAtMs: holder.renewedAtMs, ...holder };
  }

  private held(timeoutMs: number): HeldLease | undefined {
    const lease = this.storedLease;
    if (!lease) return undefined;
    const { startedAtMs, renewedAtMs, ...claim } = lease;
    const holder: LeaseHolder = { ...claim, startedAt: new Date(startedAtMs).toISOString(), renewedAt: new Date(renewedAtMs).toISOString() };
    return { ...holder, lapsed: this.now() > renewedAtMs + timeoutMs };
  }
}
