import { writeFile } from "node:fs/promises";
import { redactSecrets } from "../mask-secrets.js";
import type { Entry } from "./report-data.js";
import type { ReportContext, ReportRecorder } from "./report-recorder.js";
import { renderReport } from "./render-report.js";
import { DEFAULT_RETRY_BUDGET_MS } from "../run/run-options.js";

/** A run's settings as the report lists them. No password field exists here on purpose. */
export interface ReportedSettings {
  readonly pipelineFile?: string;
  readonly uri?: string;
  readonly database?: string;
  readonly user?: string;
  readonly batchSize?: number | "auto";
  /** Transactions in flight at once, whole run. */
  readonly concurrency: number;
  readonly stages?: readonly string[];
  readonly resume?: boolean;
  readonly fresh?: boolean;
  readonly keepMarkers?: boolean;
  readonly verify?: boolean;
  readonly retryTimeSeconds?: number;
  readonly maxErrors?: number;
  readonly deadLetterFile?: string;
}

export function settingsEntries(settings: ReportedSettings): Entry[] {
  const entries: Entry[] = [];
  const add = (name: string, value: string | undefined): void => {
    if (value !== undefined) entries.push({ name, value: redactSecrets(value) });
  };
  add("pipeline file", settings.pipelineFile);
  add("Neo4j URI", settings.uri);
  add("database", settings.database ?? "the server's default");
  add("user", settings.user);
  add("batch size", settings.batchSize === undefined ? "per task (pipeline file)" : String(settings.batchSize));
  add("concurrency (whole run)", String(settings.concurrency));
  add("stages", settings.stages && settings.stages.length > 0 ? settings.stages.join(", ") : "all");
  add("start", settings.resume ? "resume an interrupted run" : settings.fresh ? "fresh (forget an interrupted run)" : "new run");
  add("retry time", `${settings.retryTimeSeconds ?? DEFAULT_RETRY_BUDGET_MS / 1000} s per batch`);
  add("max errors", settings.maxErrors === undefined ? "no limit" : String(settings.maxErrors));
  add("dead-letter file", settings.deadLetterFile ?? "default (<pipeline name>.<start time>.rejected.jsonl)");
  if (settings.keepMarkers) add("keep markers", "yes");
  if (settings.verify) add("verify", "yes");
  return entries;
}

/** Renders the recording and writes the page to `file`. */
export async function writeRunReport(file: string, recorder: ReportRecorder, context: ReportContext): Promise<void> {
  await writeFile(file, renderReport(recorder.data(context)));
}
