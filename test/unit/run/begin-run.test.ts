import { describe, expect, it } from "vitest";
import { beginRun } from "../../../src/run/begin-run.js";
import { defaultDeadLetterFile } from "../../../src/run/run-options.js";
import { MemoryCheckpointStore } from "../../support/memory-checkpoint-store.js";

const begin = (store: MemoryCheckpointStore, options: { resume?: boolean; fresh?: boolean; deadLetterFile?: string; defaultDeadLetterFile: string }) =>
  beginRun(store, "fp", { resume: false, fresh: false, ...options });

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
    store.record = { fingerprint: "fp", status: "running" };
    expect(await begin(store, { resume: true, defaultDeadLetterFile: "/d/night2" })).toEqual({ resuming: true, deadLetterFile: "/d/night2" });
  });
});
