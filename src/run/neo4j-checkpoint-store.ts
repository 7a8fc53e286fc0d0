import { bookmarkManager, type BookmarkManager, type Driver, type Record as Neo4jRecord } from "neo4j-driver";
import { isSchemaAlreadyThere } from "./neo4j-codes.js";
import type { CheckpointStore, CommittedRange, HeldLease, Increment, InputFile, LeaseAttempt, LeaseClaim, LeaseHolder, LeftoverMarkers, LoadedFile, RunRecord, StoredWatermark, TaskAdvance } from "./checkpoint-store.js";
import { retryTransient, type RetrySettings } from "./retry-transient.js";
import type { RunInputs } from "./run-fingerprint.js";

const MARKER_LABEL = "GraphloadBatch";
const RUN_LABEL = "GraphloadRun";
const INCREMENT_LABEL = "GraphloadIncrement";
const WATERMARK_LABEL = "GraphloadWatermark";
const FILE_LABEL = "GraphloadFile";
const LEASE_LABEL = "GraphloadLease";

const MARKER_PROPERTIES = "{id: $id, run: $run, task: $task, lane: $lane, start: $start, end: $end, key: $key, watermark: $watermark}";
/** Writes the marker first: a re-applied batch then fails on it before touching any data. */
export const MARKER_CYPHER = `CREATE (:${MARKER_LABEL} ${MARKER_PROPERTIES})`;
/** A row only while the lease `$lease` still holds the pipeline: what a run's writes are fenced by. */
const LEASE_FENCE = `MATCH (l:${LEASE_LABEL} {name: $run, token: $lease})`;
/**
 * The marker of a batch written under a lease: created, and a row returned, only while
 * that lease still holds the pipeline, so a run whose lease was taken over commits nothing.
 */
export const LEASED_MARKER_CYPHER = `${LEASE_FENCE} CREATE (:${MARKER_LABEL} ${MARKER_PROPERTIES}) RETURN true AS held`;

/**
 * What the batch's statement reported, kept on its marker in the same transaction: when the
 * answer to a commit is lost, the retry finds the marker and reads them back, so the
 * batch's unmatched rows are still dead-lettered and its counters still summed.
 */
export const MARKER_OUTCOME_CYPHER = `MATCH (m:${MARKER_LABEL} {id: $id}) SET m.unmatched = $unmatched, m.counters = $counters`;
export const RECORDED_OUTCOME_CYPHER = `MATCH (m:${MARKER_LABEL} {id: $id}) RETURN m.unmatched AS unmatched, m.counters AS counters`;

const LEASE_FIELDS = `l.token AS token, l.host AS host, l.pid AS pid, l.pidNamespace AS pidNamespace, l.pidStart AS pidStart, toString(l.startedAt) AS startedAt, toString(l.renewedAt) AS renewedAt,
  datetime() > l.renewedAt + duration({milliseconds: $timeoutMs}) AS lapsed`;
const LEASE_CLAIM = "l.token = $token, l.host = $host, l.pid = toInteger($pid), l.pidNamespace = $pidNamespace, l.pidStart = $pidStart, l.startedAt = datetime(), l.renewedAt = datetime()";

/**
 * The checkpoint store in the target database itself, next to the data, so that a batch
 * and its marker commit together: one `GraphloadRun` node per pipeline name holds the
 * fingerprint of the pipeline and its inputs; `GraphloadBatch` nodes, unique by id, mark
 * the ranges that committed, with the highest incremental value of each. What lasts from
 * run to run is kept apart from them, so that `--fresh` and a new run's `clear` never
 * touch it: a `GraphloadWatermark` per pipeline and task (its `value` typed as the column
 * is) and a `GraphloadFile` per file a task loaded. A `GraphloadIncrement` per task holds
 * what the current run reads, until it completes. A `GraphloadLease` node per pipeline
 * name says which run holds it, times kept by the server's clock alone. Every session of
 * the store is in write mode (on a cluster, the leader) and chained by one bookmark
 * manager, so the store reads what it wrote.
 */
export class Neo4jCheckpointStore implements CheckpointStore {
  private readonly driver: Driver;
  private readonly database: string | undefined;
  readonly run: string;
  private readonly retry: RetrySettings;
  private readonly bookmarks: BookmarkManager = bookmarkManager();

  /** `retry`: how long each step keeps being retried after a transient failure. */
  constructor(driver: Driver, database: string | undefined, run: string, retry: RetrySettings) {
    this.driver = driver;
    this.database = database;
    this.run = run;
    this.retry = retry;
  }

  async prepare(): Promise<void> {
    await this.createConstraint(`CREATE CONSTRAINT graphload_batch_id IF NOT EXISTS FOR (m:${MARKER_LABEL}) REQUIRE m.id IS UNIQUE`);
    await this.createConstraint(`CREATE CONSTRAINT graphload_run_name IF NOT EXISTS FOR (r:${RUN_LABEL}) REQUIRE r.name IS UNIQUE`);
    for (const label of [INCREMENT_LABEL, WATERMARK_LABEL, FILE_LABEL]) {
      await this.createConstraint(`CREATE CONSTRAINT graphload_${label.slice("Graphload".length).toLowerCase()}_id IF NOT EXISTS FOR (n:${label}) REQUIRE n.id IS UNIQUE`);
    }
    await this.createConstraint(`CREATE CONSTRAINT graphload_lease_name IF NOT EXISTS FOR (l:${LEASE_LABEL}) REQUIRE l.name IS UNIQUE`);
  }

  /**
   * IF NOT EXISTS does not cover a constraint that another run, or an earlier attempt whose
   * answer was lost, is creating at the same moment: the server then says it exists already.
   */
  private async createConstraint(cypher: string): Promise<void> {
    try {
      await this.query(cypher);
    } catch (error) {
      if (!isSchemaAlreadyThere(error)) throw error;
    }
  }

  async previous(): Promise<RunRecord | undefined> {
    const records = await this.query(
      `MATCH (r:${RUN_LABEL} {name: $run}) RETURN r.fingerprint AS fingerprint, r.status AS status, r.deadLetterFile AS deadLetterFile, toString(r.startedAt) AS startedAt, toString(r.completedAt) AS completedAt, r.inputs AS inputs`,
    );
    const record = records[0];
    if (!record) return undefined;
    const optional = (field: string): Record<string, string> => {
      const value = record.get(field) as string | null;
      return value ? { [field]: value } : {};
    };
    const inputs = record.get("inputs") as string | null;
    return {
      fingerprint: record.get("fingerprint") as string,
      status: record.get("status") as RunRecord["status"],
      ...(inputs ? { inputs: JSON.parse(inputs) as RunInputs } : {}),
      ...optional("deadLetterFile"),
      ...optional("startedAt"),
      ...optional("completedAt"),
    };
  }

  async begin(fingerprint: string, deadLetterFile: string, inputs?: RunInputs): Promise<void> {
    await this.query(
      `MERGE (r:${RUN_LABEL} {name: $run})
       SET r.fingerprint = $fingerprint, r.status = 'running', r.startedAt = datetime(), r.completedAt = null, r.deadLetterFile = $deadLetterFile, r.inputs = $inputs`,
      { fingerprint, deadLetterFile, inputs: inputs ? JSON.stringify(inputs) : null },
    );
  }

  async committedRanges(task: string): Promise<CommittedRange[]> {
    const records = await this.query(
      `MATCH (m:${MARKER_LABEL} {run: $run, task: $task}) RETURN m.lane AS lane, m.start AS start, m.end AS end, m.key AS key, m.watermark AS watermark ORDER BY lane, start`,
      { task },
    );
    return records.map((record) => {
      const watermark = record.get("watermark");
      return {
        lane: String(record.get("lane")),
        start: Number(record.get("start")),
        end: Number(record.get("end")),
        key: record.get("key") ?? undefined,
        ...(watermark === null ? {} : { watermark }),
      };
    });
  }

  private async removeMarkers(): Promise<void> {
    // In chunks, so a run of millions of batches never needs one huge transaction.
    await this.query(`MATCH (m:${MARKER_LABEL} {run: $run}) CALL (m) { DELETE m } IN TRANSACTIONS OF 10000 ROWS`);
  }

  /**
   * The status and what the run read turn over in one statement, so in one transaction and
   * one round trip: a resumed run never sees a watermark advanced past the increment its
   * markers belong to. Markers go after, so that a run stopped between the two is still
   * seen as completed. Only the parts with something to write are sent: a fresh server
   * spends about a second planning the whole statement the first time it sees it. The
   * lease is matched in the same statement, which a run would otherwise send on its own.
   */
  async complete(keepMarkers: boolean, advances: ReadonlyMap<string, TaskAdvance> = new Map(), lease?: string): Promise<boolean> {
    const watermarks = [...advances]
      .filter(([, advance]) => advance.watermark !== undefined && advance.watermark !== null)
      .map(([task, advance]) => ({ id: taskId(this.run, task), task, value: advance.watermark }));
    const files = [...advances].flatMap(([task, advance]) => (advance.files ?? []).map((file) => ({ id: fileId(this.run, task, file.name), task, ...file })));
    const parts = [
      lease !== undefined && LEASE_FENCE,
      watermarks.length > 0 &&
        `CALL () { UNWIND $watermarks AS w MERGE (n:${WATERMARK_LABEL} {id: w.id}) SET n.pipeline = $run, n.task = w.task, n.value = w.value, n.updatedAt = datetime() }`,
      files.length > 0 &&
        `CALL () { UNWIND $files AS f MERGE (n:${FILE_LABEL} {id: f.id}) SET n.pipeline = $run, n.task = f.task, n.name = f.name, n.size = f.size, n.identity = f.identity, n.loadedAt = datetime() }`,
      `CALL () { MATCH (i:${INCREMENT_LABEL} {run: $run}) DELETE i }`,
      `MATCH (r:${RUN_LABEL} {name: $run}) SET r.status = 'completed', r.completedAt = datetime()`,
      "RETURN true AS completed",
    ];
    const [completed] = await this.query(parts.filter(Boolean).join("\n"), { watermarks, files, lease: lease ?? null });
    if (!completed && lease !== undefined) return false;
    if (!keepMarkers) await this.removeMarkers();
    return true;
  }

  async clear(): Promise<void> {
    await this.removeMarkers();
    await this.query(`CALL () { MATCH (i:${INCREMENT_LABEL} {run: $run}) DELETE i } MATCH (r:${RUN_LABEL} {name: $run}) DELETE r`);
  }

  async increment(task: string): Promise<Increment | undefined> {
    const record = (await this.query(`MATCH (i:${INCREMENT_LABEL} {id: $id}) RETURN i.watermark AS watermark, i.files AS files`, { id: taskId(this.run, task) }))[0];
    if (!record) return undefined;
    const watermark = record.get("watermark");
    const files = record.get("files") as string | null;
    return { ...(watermark === null ? {} : { watermark }), ...(files === null ? {} : { files: JSON.parse(files) as InputFile[] }) };
  }

  async beginIncrement(task: string, increment: Increment): Promise<void> {
    await this.query(`MERGE (i:${INCREMENT_LABEL} {id: $id}) SET i.run = $run, i.task = $task, i.watermark = $watermark, i.files = $files`, {
      id: taskId(this.run, task),
      task,
      watermark: increment.watermark ?? null,
      files: increment.files ? JSON.stringify(increment.files) : null,
    });
  }

  async watermarks(): Promise<StoredWatermark[]> {
    const records = await this.query(`MATCH (w:${WATERMARK_LABEL} {pipeline: $run}) RETURN w.task AS task, w.value AS value, toString(w.updatedAt) AS updatedAt ORDER BY task`);
    return records.map((record) => ({ task: record.get("task") as string, value: record.get("value"), updatedAt: record.get("updatedAt") as string }));
  }

  async loadedFiles(task?: string): Promise<LoadedFile[]> {
    const records = await this.query(
      `MATCH (f:${FILE_LABEL} {pipeline: $run}) WHERE $task IS NULL OR f.task = $task
       RETURN f.task AS task, f.name AS name, f.size AS size, f.identity AS identity, toString(f.loadedAt) AS loadedAt ORDER BY task, name`,
      { task: task ?? null },
    );
    return records.map((record) => ({
      task: record.get("task") as string,
      name: record.get("name") as string,
      size: Number(record.get("size")),
      identity: record.get("identity") as string,
      loadedAt: record.get("loadedAt") as string,
    }));
  }

  async resetWatermark(task: string): Promise<boolean> {
    const records = await this.query(`MATCH (w:${WATERMARK_LABEL} {id: $id}) DELETE w RETURN count(*) AS removed`, { id: taskId(this.run, task) });
    return Number(records[0]?.get("removed") ?? 0) > 0;
  }

  async forgetFiles(task: string): Promise<number> {
    const records = await this.query(`MATCH (f:${FILE_LABEL} {pipeline: $run, task: $task}) DELETE f RETURN count(*) AS removed`, { task });
    return Number(records[0]?.get("removed") ?? 0);
  }

  /**
   * MERGE on the unique name serialises runs that find no lease, and a lease it creates is
   * this run's at once: one statement, the usual case. Setting `_lock` on a lease found takes
   * the node's write lock, so the lease read next is the one this transaction replaces
   * (the Cypher manual's lost-update pattern). A refusal rolls back: nothing is written.
   */
  async takeLease(claim: LeaseClaim, timeoutMs: number, mayTake: (held: HeldLease) => boolean): Promise<LeaseAttempt> {
    return retryTransient(async () => {
      const session = this.session();
      const tx = session.beginTransaction();
      try {
        const params = { run: this.run, timeoutMs, ...claim, pidNamespace: claim.pidNamespace ?? null, pidStart: claim.pidStart ?? null };
        const [found] = (
          await tx.run(`MERGE (l:${LEASE_LABEL} {name: $run}) ON CREATE SET ${LEASE_CLAIM} ON MATCH SET l._lock = true RETURN ${LEASE_FIELDS}, l._lock IS NULL AS created`, params)
        ).records;
        if (found.get("created") === true) {
          await tx.commit();
          return { taken: true, holder: heldLease(found) };
        }
        const held = found.get("token") === null ? undefined : heldLease(found);
        if (held && held.token !== claim.token && !mayTake(held)) {
          await tx.rollback();
          return { taken: false, holder: held };
        }
        const [taken] = (
          await tx.run(
            `MATCH (l:${LEASE_LABEL} {name: $run}) SET ${LEASE_CLAIM} REMOVE l._lock RETURN ${LEASE_FIELDS}`,
            params,
          )
        ).records;
        await tx.commit();
        return { taken: true, holder: heldLease(taken) };
      } finally {
        await session.close();
      }
    }, this.retry);
  }

  async renewLease(token: string): Promise<boolean> {
    const [record] = await this.query(`OPTIONAL MATCH (l:${LEASE_LABEL} {name: $run, token: $token}) SET l.renewedAt = datetime() RETURN l IS NOT NULL AS held`, { token });
    return record.get("held") as boolean;
  }

  async releaseLease(token: string): Promise<void> {
    await this.query(`MATCH (l:${LEASE_LABEL} {name: $run, token: $token}) DELETE l`, { token });
  }

  async lease(timeoutMs: number): Promise<HeldLease | undefined> {
    const [record] = await this.query(`MATCH (l:${LEASE_LABEL} {name: $run}) WHERE l.token IS NOT NULL RETURN ${LEASE_FIELDS}`, { timeoutMs });
    return record ? heldLease(record) : undefined;
  }

  async leftoverMarkers(): Promise<LeftoverMarkers[]> {
    const records = await this.query(`MATCH (m:${MARKER_LABEL} {run: $run}) RETURN m.task AS task, count(*) AS batches ORDER BY task`);
    return records.map((record) => ({ task: String(record.get("task")), batches: Number(record.get("batches")) }));
  }

  private session() {
    return this.driver.session({ database: this.database, defaultAccessMode: "WRITE", bookmarkManager: this.bookmarks });
  }

  /**
   * One statement in an auto-commit transaction (so CALL … IN TRANSACTIONS works too), which
   * the driver never retries: every statement here is idempotent, and retryTransient alone
   * retries it, instead of a driver retry loop inside ours.
   */
  private async query(cypher: string, params: Record<string, unknown> = {}): Promise<Neo4jRecord[]> {
    return retryTransient(async () => {
      const session = this.session();
      try {
        return (await session.run(cypher, { run: this.run, ...params })).records;
      } finally {
        await session.close();
      }
    }, this.retry);
  }
}

function taskId(run: string, task: string): string {
  return JSON.stringify([run, task]);
}

function fileId(run: string, task: string, name: string): string {
  return JSON.stringify([run, task, name]);
}

function heldLease(record: Neo4jRecord): HeldLease {
  const pidNamespace = record.get("pidNamespace") as string | null;
  const pidStart = record.get("pidStart") as string | null;
  const holder: LeaseHolder = {
    token: record.get("token") as string,
    host: record.get("host") as string,
    pid: Number(record.get("pid")),
    ...(pidNamespace === null ? {} : { pidNamespace }),
    ...(pidStart === null ? {} : { pidStart }),
    startedAt: record.get("startedAt") as string,
    renewedAt: record.get("renewedAt") as string,
  };
  return { ...holder, lapsed: record.get("lapsed") === true };
}
