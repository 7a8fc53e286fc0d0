/** graphload's public API: load a pipeline file, run it on a driver, read the summary. */
export { loadPipeline, parsePipeline, type LoadPipelineOptions } from "./load/load-pipeline.js";
export type * from "./model/pipeline.js";
export { PipelineValidationError, type ValidationIssue } from "./model/validation-issue.js";
export { buildPlan, type Plan, type StagePlan, type TaskPlan } from "./plan/build-plan.js";
export { runPipeline, type RunOptions } from "./run/run-pipeline.js";
export type { BatchSink, BatchWrite, BatchResult } from "./run/batch-sink.js";
export { verifyRun, VerifyReport, type TaskCheck } from "./run/verify-run.js";
export { RunSummary, type RunSummaryJson, type StageSummary, type TaskSummary, type RunStatus } from "./run/run-summary.js";
export type { RunEvent, RunEventListener } from "./run/run-events.js";
export type { DeadLetter } from "./run/dead-letter.js";
export type { ServerCounters } from "./run/server-counters.js";
export { createDriver, type DriverSettings } from "./create-driver.js";
export { GraphloadError } from "./errors.js";
export { ERROR_CODES, type AnyErrorCode, type ErrorCode, type ExitCode } from "./error-codes.js";
export { LogReporter, type LogReporterOptions } from "./progress/log-reporter.js";
export { TerminalReporter } from "./progress/terminal-reporter.js";
export { silentReporter, type ProgressReporter } from "./progress/progress-reporter.js";
export { startLocalNeo4j, type LocalNeo4jOptions, type StartedLocalNeo4j } from "./local-neo4j/start-local-neo4j.js";
