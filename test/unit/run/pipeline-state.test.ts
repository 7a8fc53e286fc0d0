import { int } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { editPipelineState, formatPipelineState, readPipelineState } from "../../../src/run/pipeline-state.js";
import { thisProcess, type ThisProcess } from "../../../src/run/run-lease.js";
import { MemoryCheckpointStore } from "../../support/memory-checkpoint-store.js";

const NOW = Date.UTC(2026, 10, 29, 2, 0, 0);
const here = thisProcess();

function store() {
  const clock = { now: NOW };
  return { checkpoints: new MemoryCheckpointStore("nightly", { now: () => clock.now }), clock };
}

describe("a pipeline's state", () => {
  it("reads as nothing kept for a pipeline never run", async () => {
    const { checkpoints } = store();
    const state = await readPipelineState("nightly", { checkpoints });
    expect(state).toEqual({ pipeline: "nightly", markers: [], watermarks: [], loadedFiles: [] });
    expect(formatPipelineState(state, 60_000)).toBe(
      ["pipeline nightly", "lease: free (no run in progress)", "last run: none recorded", "batch markers: none", "watermarks: none", "loaded files: none"].join("\n"),
    );
  });

  it("says whether a run is in progress or interrupted, from its record and its lease", async () => {
    const { checkpoints, clock } = store();
    await checkpoints.begin("fp", "/work/nightly.rejected.jsonl");
    checkpoints.markers.set("m1", { id: "m1", run: "nightly", task: "orders", lane: "0", start: 1, end: 10, key: null, watermark: null });
    const elsewhere: ThisProcess = { host: "etl-1", pid: 8, exists: () => true };
    checkpoints.setLease({ token: "t", host: "etl-1", pid: 7, renewedAtMs: NOW });
    const live = formatPipelineState(await readPipelineState("nightly", { checkpoints, process: elsewhere }), 60_000);
    expect(live).toContain("lease: held by host etl-1, pid 7, started 2026-11-29T02:00:00.000Z, last renewed 2026-11-29T02:00:00.000Z; live: a run is in progress");
    expect(live).toContain("last run: in progress, started 2026-11-29T02:00:00.000Z");
    expect(live).toContain("batch markers (committed batches of the last run, skipped by --resume):\n  orders: 1 batch");
    expect(live).toContain("dead-letter file: /work/nightly.rejected.jsonl");

    clock.now += 61_000;
    const lapsed = formatPipelineState(await readPipelineState("nightly", { checkpoints, process: elsewhere }), 60_000);
    expect(lapsed).toContain("lapsed (not renewed for 60 s): the next run takes it over");
    expect(lapsed).toContain("last run: interrupted, started 2026-11-29T02:00:00.000Z; run again with --resume to continue it, or --fresh to discard its batch markers");

    const gone = await readPipelineState("nightly", { checkpoints, process: { ...elsewhere, host: "etl-1", exists: () => false }, leaseTimeoutMs: 120_000 });
    expect(gone.lease).toMatchObject({ lapsed: false, holderGone: true });
  });

  it("edits under the lease: refused while a run is live, and --release-lease removes only a lease whose run is gone", async () => {
    const { checkpoints, clock } = store();
    await checkpoints.complete(false, new Map([["orders", { watermark: int(42) }], ["drops", { files: [{ name: "a.csv", size: 3, identity: "h" }] }]]));
    checkpoints.setLease({ token: "live", host: "etl-1", pid: 7, renewedAtMs: NOW });
    for (const edits of [{ resetWatermark: ["orders"] }, { forgetFiles: ["drops"] }, { releaseLease: true }]) {
      await expect(editPipelineState("nightly", edits, { checkpoints, process: here })).rejects.toMatchObject({
        code: "GL_RUN_IN_PROGRESS",
        message: expect.stringContaining("Wait for it to end, or stop it"),
      });
    }
    expect(checkpoints.storedLease?.token).toBe("live");
    expect(await checkpoints.watermarks()).toHaveLength(1);

    clock.now += 61_000;
    expect(await editPipelineState("nightly", { resetWatermark: ["orders", "nope"], forgetFiles: ["drops"], releaseLease: true }, { checkpoints, process: here })).toEqual([
      'task orders: watermark reset; its next run starts from "initial"',
      "task nope: had no watermark",
      "task drops: 1 loaded file forgotten; its next run loads every match again",
      expect.stringMatching(/^lease released \(it was held by host etl-1, pid 7, /),
    ]);
    expect(checkpoints.storedLease).toBeUndefined();
    expect(await checkpoints.watermarks()).toEqual([]);
    expect(await checkpoints.loadedFiles()).toEqual([]);
  });
});
