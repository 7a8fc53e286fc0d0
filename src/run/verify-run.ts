import type { Driver } from "neo4j-driver";
import { countText } from "../count-text.js";
import { escapeIdentifier } from "../plan/cypher-text.js";
import type { Pipeline } from "../model/pipeline.js";
import type { RunSummary } from "./run-summary.js";
import { isIncremental } from "./task-increment.js";

/** One task's account: what its source gave against what reached the graph. */
export interface TaskCheck {
  readonly stage: string;
  readonly task: string;
  /** Read by this run, plus what a keyset resume did not read again. */
  readonly read: number;
  /** Written by this run, plus what it skipped or did not read as committed by the run it resumed. */
  readonly written: number;
  readonly rejected: number;
  /** Node tasks: nodes with the task's labels found in the target. */
  readonly nodes?: number;
  readonly ok: boolean;
}

/** The comparison `--verify` prints; `ok` only when every task's rows all arrived. */
export class VerifyReport {
  readonly checks: readonly TaskCheck[];

  constructor(checks: readonly TaskCheck[]) {
    this.checks = checks;
  }

  get ok(): boolean {
    return this.checks.every((check) => check.ok);
  }

  toJSON(): { ok: boolean; checks: readonly TaskCheck[] } {
    return { ok: this.ok, checks: this.checks };
  }

  format(): string {
    const count = (value: number | undefined): string => (value === undefined ? "" : countText(value));
    const header = ["stage / task", "read", "written", "rejected", "nodes", ""];
    const rows = this.checks.map((check) => [`${check.stage} / ${check.task}`, count(check.read), count(check.written), count(check.rejected), count(check.nodes), check.ok ? "ok" : "MISMATCH"]);
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]): string => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ").trimEnd();
    const verdict = this.ok ? "verified: every row read was written" : "verification failed: rows read and written differ";
    return [verdict, line(header), ...rows.map(line)].join("\n");
  }
}

/**
 * Compares, per task of a finished run, the rows read with the rows written (and skipped
 * as committed before), and for node tasks with the nodes the target holds under the
 * task's labels (but an incremental task's, which also holds earlier runs' nodes). Meant
 * for migrations, whose source keys are unique: there, every row read is one node.
 */
export async function verifyRun(summary: RunSummary, pipeline: Pipeline, driver: Driver, database?: string): Promise<VerifyReport> {
  const checks: TaskCheck[] = [];
  for (const stage of summary.stages) {
    for (const task of stage.tasks) {
      const model = pipeline.stages.flatMap((s) => (s.kind === "tasks" && s.name === stage.stage ? s.tasks : [])).find((t) => t.name === task.task);
      // The graph holds an incremental task's earlier increments too: only its rows are compared.
      const target = model === undefined || isIncremental(model.source) ? undefined : model.target;
      const written = task.rowsWritten + task.rowsSkipped + task.rowsBeforeResume;
      const read = task.rowsRead + task.rowsBeforeResume;
      let nodes: number | undefined;
      if (target?.kind === "node") {
        const labels = target.labels.map((label) => `:${escapeIdentifier(label)}`).join("");
        const result = await driver.executeQuery(`MATCH (n${labels}) RETURN count(n) AS n`, {}, { database, routing: "READ" });
        nodes = Number(result.records[0].get("n"));
      }
      const ok = task.rowsRejected === 0 && read === written && (nodes === undefined || nodes === written);
      checks.push({ stage: stage.stage, task: task.task, read, written, rejected: task.rowsRejected, ...(nodes === undefined ? {} : { nodes }), ok });
    }
  }
  return new VerifyReport(checks);
}
