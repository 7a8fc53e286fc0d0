import type { Command } from "commander";
import { writeFile } from "node:fs/promises";
import { createDriver } from "../create-driver.js";
import { ERROR_CODES } from "../error-codes.js";
import { GraphloadError } from "../errors.js";
import { buildPlan } from "../plan/build-plan.js";
import { loadPipeline } from "../load/load-pipeline.js";
import { LogReporter } from "../progress/log-reporter.js";
import { silentReporter, type ProgressReporter } from "../progress/progress-reporter.js";
import type { ReportRecorder } from "../report/report-recorder.js";
import type { Pipeline } from "../model/pipeline.js";
import type { RunEvent } from "../run/run-events.js";
import { MIN_LEASE_TIMEOUT_MS } from "../run/run-lease.js";
import { runPipeline } from "../run/run-pipeline.js";
import type { RunSummary } from "../run/run-summary.js";
import { verifyRun } from "../run/verify-run.js";
import { batchSizeValue, collect, dataSource, positiveInteger, printWarnings } from "./cli-values.js";
import { addConnectionOptions, resolveConnection } from "./connection-options.js";
import { reportFailure } from "./report-failure.js";

/** The flags of `run`, which `import` takes too. */
export interface RunFlags {
  uri?: string;
  user?: string;
  password?: string;
  passwordFile?: string;
  database?: string;
  batchSize?: number | "auto";
  concurrency?: number;
  stage?: string[];
  deadLetter?: string;
  summaryJson?: string;
  report?: string;
  logFormat: "text" | "json";
  progress: boolean;
  retryTime?: number;
  maxErrors?: number;
  verify?: boolean;
  dataSource?: Record<string, string>;
  resume?: boolean;
  fresh?: boolean;
  keepMarkers?: boolean;
  gracePeriod: number;
  metricsPush?: string;
  leaseTimeout?: number;
}

export function registerRunCommand(program: Command, setExitCode: (code: number) => void): void {
  addRunOptions(program.command("run").description("load a pipeline into Neo4j").argument("<pipeline>", "pipeline file (YAML or JSON)"))
    .addHelpText(
      "after",
      `
Examples:
  graphload run pipelines/northwind.yaml
  graphload run pipeline.yaml --uri neo4j+s://xxxx.databases.neo4j.io --user neo4j --password "$PW"
  NEO4J_URI=bolt://db:7687 graphload run etl.yaml --stage nodes --summary-json summary.json
  graphload run pipeline.yaml --report run.html

Exit codes: 0 every row written; 1 failed or stopped; 2 invalid pipeline or arguments;
3 finished with rejected rows (see the dead-letter file); 4 another run of the pipeline
is in progress (nothing written).`,
    )
    .action(async (file: string, flags: RunFlags) => {
      setExitCode(await run(file, flags));
    });
}

/** The connection and run flags, on `run` and on any command that runs a pipeline it makes (`import`). */
export function addRunOptions(command: Command): Command {
  return addConnectionOptions(command)
    .option("--batch-size <rows>", 'rows per transaction for every task, or "auto" to follow the server\'s pace', batchSizeValue)
    .option("--concurrency <n>", "transactions in flight at once, whole run", positiveInteger())
    .option("--stage <name...>", "run only these stages (repeat or separate with commas)", collect)
    .option("--resume", "continue an interrupted run, skipping the batches that committed; a normal run when there is none")
    .option("--fresh", "forget an interrupted run and start over")
    .option("--keep-markers", "keep the batch markers of a completed run in the database")
    .option("--data-source <name=url>", "connection URL of an import specification's data source (repeatable)", dataSource)
    .option("--verify", "compare per task the rows read with the rows written (and nodes found); exit 1 on a mismatch")
    .option("--dead-letter <file>", "where rejected rows go (default: <pipeline name>.<yyyyMMddTHHmmss>.rejected.jsonl, the run's start in UTC; a resumed run appends to the interrupted run's file)")
    .option("--max-errors <n>", "stop (exit 1) once more than n rows have been rejected", positiveInteger(0))
    .option("--summary-json <file>", "also write the summary as JSON to this file")
    .option("--report <file>", "after the run, write an HTML page of it to this file: throughput and batch latency over time, retries, rejected rows by code, counters, settings")
    .option("--log-format <format>", "text or json, for log lines when not on a terminal", "text")
    .option("--retry-time <seconds>", "how long a batch that fails transiently (lost connection, unavailable server, deadlock) is retried (default 60)", positiveInteger(0))
    .option("--lease-timeout <seconds>", "take over the lease of a run of this pipeline not renewed for this long (default 60, at least 20)", positiveInteger(MIN_LEASE_TIMEOUT_MS / 1000))
    .option("--grace-period <seconds>", "on SIGINT/SIGTERM, how long batches in flight may take to finish", positiveInteger(0), 30)
    .option("--metrics-push <url>", "push the run's figures to this Prometheus Pushgateway (job = the pipeline name) every 10 s and at the end")
    .option("--no-progress", "no progress bars or progress log lines");
}

async function run(file: string, flags: RunFlags): Promise<number> {
  const invalid = checkRunFlags(flags);
  if (invalid) return reportFailure(invalid);
  let pipeline;
  try {
    pipeline = await loadPipeline(file, { dataSources: flags.dataSource });
    printWarnings(pipeline.warnings);
    buildPlan(pipeline, { stages: flags.stage });
  } catch (error) {
    return reportFailure(error);
  }
  return executePipeline(pipeline, flags, { pipelineFile: file });
}

/** A run flag whose value commander cannot check, checked before anything is read. */
export function checkRunFlags(flags: RunFlags): GraphloadError | undefined {
  if (flags.logFormat !== "text" && flags.logFormat !== "json") return new GraphloadError("GL_INVALID_OPTIONS", `--log-format must be text or json, not "${flags.logFormat}"`);
  return undefined;
}

/** What a command that runs a pipeline of its own making adds to a run. */
export interface ExecuteOptions {
  /** What the report's settings name as the pipeline. */
  readonly pipelineFile: string;
  /** Rejected rows after which the run stops; default --max-errors. */
  readonly maxErrors?: number;
  readonly onEvent?: (event: RunEvent) => void;
  /** The exit code of a run that ended, from the summary's. */
  readonly exitCode?: (summary: RunSummary) => number;
}

/** Connects, runs a loaded pipeline with the flags, prints the summary; resolves to the exit code. */
export async function executePipeline(pipeline: Pipeline, flags: RunFlags, options: ExecuteOptions): Promise<number> {
  const file = options.pipelineFile;
  let connection;
  try {
    connection = resolveConnection(flags, process.env, pipeline.neo4j);
  } catch (error) {
    return reportFailure(error);
  }
  const concurrency = flags.concurrency ?? pipeline.defaults.concurrency;
  let uri = connection.uri;
  try {
    // What a run does not always need is imported when it does: start-up is CPU time every run pays.
    uri ??= (await (await import("../local-neo4j/ensure-local-neo4j.js")).ensureLocalNeo4j({ cwd: process.cwd(), log: (line) => process.stderr.write(`${line}\n`) })).uri;
  } catch (error) {
    return reportFailure(error);
  }
  const driver = createDriver({ ...connection, uri, concurrency });
  const reporter = await chooseReporter(flags);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) process.exit(ERROR_CODES.GL_STOPPED.exit);
    process.stderr.write(`\n${signal}: stopping after the batches in flight (send again to abort at once)\n`);
    controller.abort();
    // Batches still in flight after the grace period are left to the server; the run stays resumable.
    setTimeout(() => {
      process.stderr.write(`batches still in flight after ${flags.gracePeriod}s; exiting\n`);
      process.exit(ERROR_CODES.GL_STOPPED.exit);
    }, flags.gracePeriod * 1000).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await driver.verifyConnectivity({ database: connection.database });
    // Asked only for the report: the version it shows is worth a round trip only there.
    const server = flags.report ? await driver.getServerInfo({ database: connection.database }).catch(() => undefined) : undefined;
    const report = flags.report ? await import("../report/run-report.js") : undefined;
    const recording: ReportRecorder | undefined = report ? new (await import("../report/report-recorder.js")).ReportRecorder() : undefined;
    const summary = await runPipeline(pipeline, {
      driver,
      database: connection.database,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "warning") printRunWarning(event.message, flags.logFormat);
        reporter.onEvent(event);
        recording?.record(event);
        options.onEvent?.(event);
      },
      stages: flags.stage,
      batchSize: flags.batchSize,
      concurrency,
      deadLetterFile: flags.deadLetter,
      retryBudgetMs: flags.retryTime === undefined ? undefined : flags.retryTime * 1000,
      maxErrors: flags.maxErrors ?? options.maxErrors,
      resume: flags.resume,
      fresh: flags.fresh,
      keepMarkers: flags.keepMarkers,
      metricsPush: flags.metricsPush,
      leaseTimeoutMs: flags.leaseTimeout === undefined ? undefined : flags.leaseTimeout * 1000,
    });
    reporter.stop();
    process.stdout.write(`${summary.format()}\n`);
    const verification = flags.verify && summary.status === "completed" ? await verifyRun(summary, pipeline, driver, connection.database) : undefined;
    if (verification) process.stdout.write(`${verification.format()}\n`);
    if (flags.summaryJson) {
      const json = verification ? { ...summary.toJSON(), verification: verification.toJSON() } : summary.toJSON();
      await writeFile(flags.summaryJson, `${JSON.stringify(json, null, 2)}\n`);
    }
    if (flags.report && report && recording) {
      const { reportVersions } = await import("../report/versions.js");
      await report.writeRunReport(flags.report, recording, {
        summary,
        pipeline,
        batchSize: flags.batchSize,
        settings: report.settingsEntries({
          pipelineFile: file,
          uri,
          database: connection.database,
          user: connection.password !== undefined ? (connection.user ?? "neo4j") : undefined,
          batchSize: flags.batchSize,
          concurrency,
          stages: flags.stage,
          resume: flags.resume,
          fresh: flags.fresh,
          keepMarkers: flags.keepMarkers,
          verify: flags.verify,
          retryTimeSeconds: flags.retryTime,
          maxErrors: flags.maxErrors,
          deadLetterFile: flags.deadLetter,
        }),
        versions: reportVersions(server),
      });
    }
    if (verification && !verification.ok) return reportFailure(new GraphloadError("GL_VERIFY_MISMATCH", "--verify: the rows read and the rows written differ; see the comparison above"));
    return options.exitCode ? options.exitCode(summary) : summary.exitCode;
  } catch (error) {
    reporter.stop();
    return reportFailure(error, uri);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await driver.close();
  }
}

/** Shown whatever the progress display, in the log's format: a warning is for the person or the log collector. */
function printRunWarning(message: string, format: RunFlags["logFormat"]): void {
  const line = format === "json" ? JSON.stringify({ time: new Date().toISOString(), event: "warning", message }) : `warning: ${message}`;
  process.stderr.write(`${line}\n`);
}

async function chooseReporter(flags: RunFlags): Promise<ProgressReporter> {
  if (!flags.progress) return silentReporter;
  if (process.stderr.isTTY && flags.logFormat === "text") return new (await import("../progress/terminal-reporter.js")).TerminalReporter(process.stderr);
  return new LogReporter({ format: flags.logFormat, write: (line) => process.stderr.write(`${line}\n`) });
}
