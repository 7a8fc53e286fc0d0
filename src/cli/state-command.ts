import type { Command } from "commander";
import { existsSync } from "node:fs";
import { driverValueJson } from "../convert/driver-value.js";
import { createDriver } from "../create-driver.js";
import { EXIT } from "../error-codes.js";
import { loadPipeline } from "../load/load-pipeline.js";
import { ensureLocalNeo4j } from "../local-neo4j/ensure-local-neo4j.js";
import type { ConnectionSettings } from "../model/pipeline.js";
import { editPipelineState, formatPipelineState, readPipelineState } from "../run/pipeline-state.js";
import { MIN_LEASE_TIMEOUT_MS } from "../run/run-lease.js";
import { leaseTimeout } from "../run/run-options.js";
import { collect, positiveInteger, printWarnings } from "./cli-values.js";
import { addConnectionOptions, resolveConnection, type ConnectionFlags } from "./connection-options.js";
import { reportFailure } from "./report-failure.js";

interface StateFlags extends ConnectionFlags {
  resetWatermark?: string[];
  forgetFiles?: string[];
  releaseLease?: boolean;
  leaseTimeout?: number;
  json?: boolean;
}

export function registerStateCommand(program: Command, setExitCode: (code: number) => void): void {
  addConnectionOptions(
    program
      .command("state")
      .description("show what the target database keeps for a pipeline (its lease, the last run, leftover batch markers, watermarks, loaded files) and reset parts of it")
      .argument("<pipeline>", "pipeline file (YAML or JSON), or a pipeline's name"),
  )
    .option("--reset-watermark <task...>", "forget these tasks' watermarks: their next run starts from `initial` (repeat or separate with commas)", collect)
    .option("--forget-files <task...>", "forget the files these tasks loaded: their next run loads every match again", collect)
    .option("--release-lease", "remove a lease whose run is gone: lapsed, or held by a process of this host that no longer exists")
    .option("--lease-timeout <seconds>", "a lease not renewed for this long has lapsed (default 60, at least 20)", positiveInteger(MIN_LEASE_TIMEOUT_MS / 1000))
    .option("--json", "print the state as JSON")
    .addHelpText(
      "after",
      `
Examples:
  graphload state nightly.yaml
  graphload state nightly --reset-watermark orders
  graphload state nightly.yaml --release-lease

Edits are made under the pipeline's lease, as a run holds it: while a run is in progress
they are refused (exit 4) and its state is left alone.`,
    )
    .action(async (pipeline: string, flags: StateFlags) => {
      setExitCode(await state(pipeline, flags));
    });
}

async function state(argument: string, flags: StateFlags): Promise<number> {
  let name = argument;
  let fromFile: ConnectionSettings = {};
  let connection;
  try {
    // A file names the pipeline and may say where its database is; anything else is a name.
    if (existsSync(argument)) {
      const pipeline = await loadPipeline(argument);
      printWarnings(pipeline.warnings);
      name = pipeline.name;
      fromFile = pipeline.neo4j;
    }
    connection = resolveConnection(flags, process.env, fromFile);
    connection = { ...connection, uri: connection.uri ?? (await ensureLocalNeo4j({ cwd: process.cwd(), log: (line) => process.stderr.write(`${line}\n`) })).uri };
  } catch (error) {
    return reportFailure(error);
  }
  const driver = createDriver({ ...connection, uri: connection.uri, concurrency: 1 });
  const leaseTimeoutMs = flags.leaseTimeout === undefined ? undefined : flags.leaseTimeout * 1000;
  const options = { driver, database: connection.database, leaseTimeoutMs };
  try {
    const edits = { resetWatermark: flags.resetWatermark, forgetFiles: flags.forgetFiles, releaseLease: flags.releaseLease };
    if (edits.resetWatermark || edits.forgetFiles || edits.releaseLease) {
      for (const line of await editPipelineState(name, edits, options)) process.stderr.write(`${line}\n`);
    }
    const current = await readPipelineState(name, options);
    process.stdout.write(`${flags.json ? JSON.stringify({ lease: null, run: null, ...current }, driverValueJson, 2) : formatPipelineState(current, leaseTimeout(leaseTimeoutMs))}\n`);
    return EXIT.OK;
  } catch (error) {
    return reportFailure(error, connection.uri);
  } finally {
    await driver.close();
  }
}
