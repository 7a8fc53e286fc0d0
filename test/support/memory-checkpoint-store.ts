import type {
  BatchMarker,
  CheckpointStore,
  CommittedRange,
  Increment,
  LoadedFile,
  RunRecord,
  StoredWatermark,
  TaskAdvance,
} from "../../src/run/checkpoint-store.js";

/**
 * The checkpoint store in memory. Its markers are written by MemorySink in the same step
 * as a batch's rows, as Neo4j commits them in one transaction.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly run: string;
  readonly markers = new Map<string, BatchMarker>();
  record: (RunRecord & { readonly startedAt: number }) | undefined;
  readonly increments = new Map<string, Increment>();
  readonly storedWatermarks = new Map<string, StoredWatermark>();
  /** By task, then by file name. */
  readonly files = new Map<string, Map<string, LoadedFile>>();

  constructor(run: string) {
    this.run = run;
  }

  async prepare(): Promise<void> {}

  async previous(): Promise<RunRecord | undefined> {
    return this.record;
  }

  async begin(fingerprint: string, deadLetterFile: string): Promise<void> {
    this.record = { fingerprint, status: "running", deadLetterFile, startedAt: Date.now() };
  }

  async committedRanges(task: string): Promise<CommittedRange[]> {
    return [...this.markers.values()]
      .filter((marker) => marker.run === this.run && marker.task === task)
      .map(({ lane, start, end, key, watermark }) => ({ lane, start, end, ...(key === null ? {} : { key }), ...(watermark === null ? {} : { watermark }) }))
      .sort((a, b) => (a.lane === b.lane ? a.start - b.start : a.lane < b.lane ? -1 : 1));
  }

  async complete(keepMarkers: boolean, advances: ReadonlyMap<string, TaskAdvance> = new Map()): Promise<void> {
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
}
