import type { Driver, Record as Neo4jRecord } from "neo4j-driver";
import { isSchemaAlreadyThere } from "./neo4j-codes.js";
import type { CheckpointStore, CommittedRange, RunRecord } from "./checkpoint-store.js";
import { retryTransient, type RetrySettings } from "./retry-transient.js";

const MARKER_LABEL = "GraphloadBatch";
const RUN_LABEL = "GraphloadRun";

/** Writes the marker first: a re-applied batch then fails on it before touching any data. */
export const MARKER_CYPHER = `CREATE (:${MARKER_LABEL} {id: $id, run: $run, task: $task, lane: $lane, start: $start, end: $end, key: $key})`;

/**
 * The checkpoint store in the target database itself, next to the data, so that a batch
 * and its marker commit together: one `GraphloadRun` node per pipeline name holds the
 * fingerprint of the pipeline and its inputs; `GraphloadBatch` nodes, unique by id, mark
 * the ranges that committed.
 */
export class Neo4jCheckpointStore implements CheckpointStore {
  private readonly driver: Driver;
  private readonly database: string | undefined;
  readonly run: string;
  private readonly retry: RetrySettings;

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
    const records = await this.query(`MATCH (r:${RUN_LABEL} {name: $run}) RETURN r.fingerprint AS fingerprint, r.status AS status, r.deadLetterFile AS deadLetterFile`);
    const record = records[0];
    if (!record) return undefined;
    const deadLetterFile = record.get("deadLetterFile") as string | null;
    return { fingerprint: record.get("fingerprint") as string, status: record.get("status") as RunRecord["status"], ...(deadLetterFile ? { deadLetterFile } : {}) };
  }

  async begin(fingerprint: string, deadLetterFile: string): Promise<void> {
    await this.query(`MERGE (r:${RUN_LABEL} {name: $run}) SET r.fingerprint = $fingerprint, r.status = 'running', r.startedAt = datetime(), r.deadLetterFile = $deadLetterFile`, {
      fingerprint,
      deadLetterFile,
    });
  }

  async committedRanges(task: string): Promise<CommittedRange[]> {
    const records = await this.query(`MATCH (m:${MARKER_LABEL} {run: $run, task: $task}) RETURN m.lane AS lane, m.start AS start, m.end AS end, m.key AS key ORDER BY lane, start`, { task });
    return records.map((record) => ({
      lane: String(record.get("lane")),
      start: Number(record.get("start")),
      end: Number(record.get("end")),
      key: record.get("key") ?? undefined,
    }));
  }

  private async removeMarkers(): Promise<void> {
    // In chunks, so a run of millions of batches never needs one huge transaction.
    await this.query(`MATCH (m:${MARKER_LABEL} {run: $run}) CALL (m) { DELETE m } IN TRANSACTIONS OF 10000 ROWS`);
  }

  async complete(keepMarkers: boolean): Promise<void> {
    if (!keepMarkers) await this.removeMarkers();
    await this.query(`MATCH (r:${RUN_LABEL} {name: $run}) SET r.status = 'completed', r.completedAt = datetime()`);
  }

  async clear(): Promise<void> {
    await this.removeMarkers();
    await this.query(`MATCH (r:${RUN_LABEL} {name: $run}) DELETE r`);
  }

  /**
   * One statement in an auto-commit transaction (so CALL … IN TRANSACTIONS works too), which
   * the driver never retries: every statement here is idempotent, and retryTransient alone
   * retries it, instead of a driver retry loop inside ours.
   */
  private async query(cypher: string, params: Record<string, unknown> = {}): Promise<Neo4jRecord[]> {
    return retryTransient(async () => {
      const session = this.driver.session({ database: this.database, defaultAccessMode: "WRITE" });
      try {
        return (await session.run(cypher, { run: this.run, ...params })).records;
      } finally {
        await session.close();
      }
    }, this.retry);
  }
}
