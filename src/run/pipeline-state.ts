import type { Driver } from "neo4j-driver";
import { GraphloadError } from "../errors.js";
import type { CheckpointStore, HeldLease, LeftoverMarkers, LoadedFile, RunRecord, StoredWatermark } from "./checkpoint-store.js";
import { Neo4jCheckpointStore } from "./neo4j-checkpoint-store.js";
import { describeHolder, holderGone, LEASE_RENEWAL_MS, RunLease, thisProcess, type LeaseSettings, type ThisProcess } from "./run-lease.js";
import { DEFAULT_RETRY_BUDGET_MS, leaseTimeout } from "./run-options.js";

export interface StateOptions {
  readonly driver?: Driver;
  readonly database?: string;
  /** Where the state is; default the target database on `driver`. */
  readonly checkpoints?: CheckpointStore;
  /** A lease not renewed for this long counts as lapsed; default 60 s. */
  readonly leaseTimeoutMs?: number;
  /** This process, for judging a holder of this host; injectable for tests. */
  readonly process?: ThisProcess;
}

/** What is kept in the target database for one pipeline name: what `graphload state` shows. */
export interface PipelineState {
  readonly pipeline: string;
  readonly lease?: HeldLease & {
    /** Its holder ran on this host and its process is gone. */
    readonly holderGone: boolean;
  };
  /** The last run's record: `running` for one in progress or interrupted. */
  readonly run?: RunRecord;
  /** Batch markers in the database, by task: an interrupted run's, or kept with --keep-markers. */
  readonly markers: readonly LeftoverMarkers[];
  readonly watermarks: readonly StoredWatermark[];
  readonly loadedFiles: readonly LoadedFile[];
}

export interface StateEdits {
  /** Tasks whose watermark to forget: their next run starts from `initial`. */
  readonly resetWatermark?: readonly string[];
  /** Tasks whose loaded files to forget: their next run loads every match again. */
  readonly forgetFiles?: readonly string[];
  /** Remove a lease whose run is gone (lapsed, or held by a process of this host that is gone). */
  readonly releaseLease?: boolean;
}

/** What the edits did, one line per edit, for a person. */
export type StateEditReport = readonly string[];

function storeFor(pipeline: string, options: StateOptions): CheckpointStore {
  if (options.checkpoints) return options.checkpoints;
  if (!options.driver) throw new GraphloadError("GL_INVALID_OPTIONS", "reading a pipeline's state needs a driver or a checkpoint store");
  return new Neo4jCheckpointStore(options.driver, options.database, pipeline, { retryBudgetMs: DEFAULT_RETRY_BUDGET_MS });
}

/** Reads a pipeline's state; writes nothing. */
export async function readPipelineState(pipeline: string, options: StateOptions): Promise<PipelineState> {
  const store = storeFor(pipeline, options);
  const here = options.process ?? thisProcess();
  const [lease, run, markers, watermarks, loadedFiles] = await Promise.all([
    store.lease(leaseTimeout(options.leaseTimeoutMs)),
    store.previous(),
    store.leftoverMarkers(),
    store.watermarks(),
    store.loadedFiles(),
  ]);
  return {
    pipeline,
    ...(lease ? { lease: { ...lease, holderGone: holderGone(lease, here) } } : {}),
    ...(run ? { run } : {}),
    markers,
    watermarks,
    loadedFiles,
  };
}

/**
 * Edits a pipeline's state under its lease, as a run would hold it, so no edit touches
 * the state of a live run: with a live lease, every edit is refused with
 * GL_RUN_IN_PROGRESS. `releaseLease` takes over a lease that may be taken over (lapsed,
 * or its holder of this host gone) and lets it go.
 */
export async function editPipelineState(pipeline: string, edits: StateEdits, options: StateOptions): Promise<StateEditReport> {
  const store = storeFor(pipeline, options);
  await store.prepare();
  const settings: LeaseSettings = {
    timeoutMs: leaseTimeout(options.leaseTimeoutMs),
    // The edits are a few statements: nothing to renew.
    timer: { repeat: () => () => undefined },
    process: options.process ?? thisProcess(),
  };
  const before = edits.releaseLease ? await store.lease(settings.timeoutMs) : undefined;
  let lease: RunLease;
  try {
    lease = await RunLease.take(store, settings);
  } catch (error) {
    if (!(error instanceof GraphloadError) || error.code !== "GL_RUN_IN_PROGRESS") throw error;
    const holder = error.context.holder as HeldLease;
    throw new GraphloadError(
      "GL_RUN_IN_PROGRESS",
      `pipeline "${pipeline}" has a live lease (${describeHolder(holder)}): a run is in progress, and its state is left alone. ` +
        `Wait for it to end, or stop it; a lease whose run died can be released once it lapses (${settings.timeoutMs / 1000} s after its last renewal, ` +
        `--lease-timeout; runs renew every ${LEASE_RENEWAL_MS / 1000} s), or at once on the host that ran it`,
      { holder },
    );
  }
  const report: string[] = [];
  try {
    for (const task of edits.resetWatermark ?? []) {
      const reset = await store.resetWatermark(task);
      report.push(reset ? `task ${task}: watermark reset; its next run starts from "initial"` : `task ${task}: had no watermark`);
    }
    for (const task of edits.forgetFiles ?? []) {
      const count = await store.forgetFiles(task);
      report.push(`task ${task}: ${count} loaded file${count === 1 ? "" : "s"} forgotten; its next run loads every match again`);
    }
  } finally {
    await lease.release();
  }
  if (edits.releaseLease) {
    report.push(before ? `lease released (it was held by ${describeHolder(before)})` : "no lease to release");
  }
  return report;
}

/** The state as text for a person. */
export function formatPipelineState(state: PipelineState, leaseTimeoutMs: number): string {
  const lines = [`pipeline ${state.pipeline}`];
  const { lease, run } = state;
  if (!lease) lines.push("lease: free (no run in progress)");
  else {
    const status = lease.holderGone
      ? "its process is gone: the next run takes it over; --release-lease removes it"
      : lease.lapsed
        ? `lapsed (not renewed for ${leaseTimeoutMs / 1000} s): the next run takes it over; --release-lease removes it`
        : "live: a run is in progress";
    lines.push(`lease: held by ${describeHolder(lease)}; ${status}`);
  }
  if (!run) lines.push("last run: none recorded");
  else if (run.status === "completed") lines.push(`last run: completed${run.startedAt ? `, started ${run.startedAt}` : ""}${run.completedAt ? `, completed ${run.completedAt}` : ""}`);
  else {
    const live = lease && !lease.lapsed && !lease.holderGone;
    lines.push(
      live
        ? `last run: in progress, started ${run.startedAt ?? "at an unknown time"}`
        : `last run: interrupted, started ${run.startedAt ?? "at an unknown time"}; run again with --resume to continue it, or --fresh to discard its batch markers`,
    );
  }
  if (run?.deadLetterFile) lines.push(`dead-letter file: ${run.deadLetterFile}`);
  if (state.markers.length === 0) lines.push("batch markers: none");
  else {
    const whose = run?.status === "completed" ? "kept by --keep-markers" : "committed batches of the last run, skipped by --resume";
    lines.push(`batch markers (${whose}):`);
    for (const { task, batches } of state.markers) lines.push(`  ${task}: ${batches} batch${batches === 1 ? "" : "es"}`);
  }
  if (state.watermarks.length === 0) lines.push("watermarks: none");
  else {
    lines.push("watermarks (--reset-watermark TASK forgets one):");
    for (const { task, value, updatedAt } of state.watermarks) lines.push(`  ${task}: ${String(value)} (set ${updatedAt})`);
  }
  if (state.loadedFiles.length === 0) lines.push("loaded files: none");
  else {
    lines.push("loaded files (--forget-files TASK forgets a task's):");
    const byTask = new Map<string, LoadedFile[]>();
    for (const file of state.loadedFiles) byTask.set(file.task, [...(byTask.get(file.task) ?? []), file]);
    for (const [task, files] of byTask) {
      lines.push(`  ${task}: ${files.length} file${files.length === 1 ? "" : "s"}`);
      if (files.length > SHOWN_FILES) lines.push(`    … ${files.length - SHOWN_FILES} before these`);
      for (const file of files.slice(-SHOWN_FILES)) lines.push(`    ${file.name} (${file.size} bytes, loaded ${file.loadedAt})`);
    }
  }
  return lines.join("\n");
}

/** Files listed per task; a job over daily drops may have loaded thousands. */
const SHOWN_FILES = 20;
