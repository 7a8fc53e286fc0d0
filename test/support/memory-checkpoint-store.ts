import type { BatchMarker, CheckpointStore, CommittedRange, RunRecord } from "../../src/run/checkpoint-store.js";

/**
 * The checkpoint store in memory. Its markers are written by MemorySink in the same step
 * as a batch's rows, as Neo4j commits them in one transaction.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly run: string;
  readonly markers = new Map<string, BatchMarker>();
  record: (RunRecord & { readonly startedAt: number }) | undefined;

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
      .map(({ lane, start, end, key }) => ({ lane, start, end, ...(key === null ? {} : { key }) }))
      .sort((a, b) => (a.lane === b.lane ? a.start - b.start : a.lane < b.lane ? -1 : 1));
  }

  async complete(keepMarkers: boolean): Promise<void> {
    if (!keepMarkers) this.markers.clear();
    if (this.record) this.record = { ...this.record, status: "completed" };
  }

  async clear(): Promise<void> {
    this.markers.clear();
    this.record = undefined;
  }
}
