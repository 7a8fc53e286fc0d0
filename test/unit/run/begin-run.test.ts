import { describe, expect, it } from "vitest";
import { beginRun } from "../../../src/run/begin-run.js";
import { runFingerprint, type RunInputs } from "../../../src/run/run-fingerprint.js";
import { defaultDeadLetterFile } from "../../../src/run/run-options.js";
import { MemoryCheckpointStore } from "../../support/memory-checkpoint-store.js";

const INPUTS: RunInputs = { pipeline: "p1", files: [{ location: "/d/rows.csv", name: "rows.csv", size: 100, version: 1_000 }] };

const begin = (store: MemoryCheckpointStore, options: { resume?: boolean; fresh?: boolean; deadLetterFile?: string; defaultDeadLetterFile: string }, inputs = INPUTS) =>
  beginRun(store, inputs, { resume: false, fresh: false, ...options });

describe("beginRun's dead-letter file", () => {
  it("names the default after the run's start, in UTC", () => {
    expect(defaultDeadLetterFile("people", new Date(Date.UTC(2026, 10, 29, 3, 4, 5, 678)))).toMatch(/[/\\]people\.20261129T030405\.rejected\.jsonl$/);
  });

  it("a new run uses its own default and records it", async () => {
    const store = new MemoryCheckpointStore("people");
    expect(await begin(store, { defaultDeadLetterFile: "/d/night1" })).toEqual({ resuming: false, deadLetterFile: "/d/night1" });
    expect(store.record?.deadLetterFile).toBe("/d/night1");
  });

  it("a resumed run appends to the interrupted run's file, not a new one", async () => {
    const store = new MemoryCheckpointStore("people");
    await begin(store, { defaultDeadLetterFile: "/d/night1" });
    expect(await begin(store, { resume: true, defaultDeadLetterFile: "/d/night2" })).toEqual({ resuming: true, deadLetterFile: "/d/night1" });
    expect(store.record?.deadLetterFile).toBe("/d/night1");
  });

  it("a run after a completed one, --resume or not, gets a file of its own", async () => {
    const store = new MemoryCheckpointStore("people");
    await begin(store, { defaultDeadLetterFile: "/d/night1" });
    await store.complete(false);
    expect(await begin(store, { resume: true, defaultDeadLetterFile: "/d/night2" })).toEqual({ resuming: false, deadLetterFile: "/d/night2" });
  });

  it("--fresh after an interrupted run gets a file of its own", async () => {
    const store = new MemoryCheckpointStore("people");
    await begin(store, { defaultDeadLetterFile: "/d/night1" });
    expect(await begin(store, { fresh: true, defaultDeadLetterFile: "/d/night2" })).toEqual({ resuming: false, deadLetterFile: "/d/night2" });
  });

  it("--dead-letter wins, on resume too", async () => {
    const store = new MemoryCheckpointStore("people");
    await begin(store, { defaultDeadLetterFile: "/d/night1" });
    expect(await begin(store, { resume: true, deadLetterFile: "/d/mine", defaultDeadLetterFile: "/d/night2" })).toEqual({ resuming: true, deadLetterFile: "/d/mine" });
  });

  it("resumes a run recorded before the file was kept with the new default", async () => {
    const store = new MemoryCheckpointStore("people");
    store.record = { fingerprint: runFingerprint(INPUTS), status: "running" };
    expect(await begin(store, { resume: true, defaultDeadLetterFile: "/d/night2" })).toEqual({ resuming: true, deadLetterFile: "/d/night2" });
  });
});

describe("a resume refused because its inputs changed", () => {
  const refusal = async (changed: RunInputs, record: "with inputs" | "older, without" = "with inputs") => {
    const store = new MemoryCheckpointStore("people");
    await begin(store, { defaultDeadLetterFile: "/d/night1" });
    if (record === "older, without") store.record = { fingerprint: runFingerprint(INPUTS), status: "running" };
    const error = await begin(store, { resume: true, defaultDeadLetterFile: "/d/night2" }, changed).then(
      () => undefined,
      (caught: { code: string; message: string }) => caught,
    );
    expect(error?.code).toBe("GL_RESUME_MISMATCH");
    expect(error?.message).toContain("use --fresh");
    return error!.message;
  };
  const file = INPUTS.files[0];

  it("names the file that changed size, was modified, added or removed", async () => {
    expect(await refusal({ ...INPUTS, files: [{ ...file, size: 120 }] })).toContain("input file rows.csv changed size (100 bytes, now 120)");
    expect(await refusal({ ...INPUTS, files: [{ ...file, version: 2_000 }] })).toContain("input file rows.csv was modified since the interrupted run");
    expect(await refusal({ ...INPUTS, files: [{ ...file, version: '"etag-2"' }] })).toContain("input file rows.csv was replaced (a new ETag)");
    expect(await refusal({ ...INPUTS, files: [file, { ...file, location: "/d/more.csv", name: "more.csv" }] })).toContain("input file more.csv was added");
    expect(await refusal({ ...INPUTS, files: [] })).toContain("input file rows.csv was removed");
  });

  it("says the pipeline changed when it did, and stays general for a record that kept no inputs", async () => {
    expect(await refusal({ ...INPUTS, pipeline: "p2" })).toContain("the pipeline changed");
    expect(await refusal({ ...INPUTS, files: [{ ...file, size: 120 }] }, "older, without")).toContain("the pipeline or one of its input files changed");
  });
});
