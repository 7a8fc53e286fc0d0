import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { boltAnswers } from "./bolt-probe.js";
import { readyLine } from "./launch-neo4j.js";
import { localNeo4jPaths, readState } from "./local-neo4j-state.js";
import { processExists } from "../process-exists.js";

/** The local server of a working directory, as `graphload neo4j status --json` prints it. */
export interface LocalNeo4jStatus {
  /** The launcher process is alive and Bolt answers on its port. */
  readonly running: boolean;
  readonly uri?: string;
  readonly dataDir: string;
  readonly version?: string;
  readonly port?: number;
  readonly importDir?: string;
  /** Present while the process lives, also when it does not answer (starting, or hung). */
  readonly pid?: number;
  readonly logFile: string;
}

export async function localNeo4jStatus(options: { cwd: string }): Promise<LocalNeo4jStatus> {
  const paths = localNeo4jPaths(options.cwd);
  const state = await readState(options.cwd);
  if (!state) return { running: false, dataDir: paths.dataDir, logFile: paths.logFile };
  const alive = await isLauncherProcess(state.pid);
  const running = alive && (await boltAnswers(new URL(state.uri).hostname, state.port));
  return {
    running,
    uri: state.uri,
    dataDir: state.dataDir,
    version: state.version ?? (running ? await versionFromLog(state.logFile) : undefined),
    port: state.port,
    importDir: state.importDir,
    pid: alive ? state.pid : undefined,
    logFile: state.logFile,
  };
}

/** A server whose starter was interrupted has no version in its state, but printed it in its log. */
async function versionFromLog(logFile: string): Promise<string | undefined> {
  const output = await readFile(logFile, "utf8").catch(() => "");
  return readyLine(output)?.version;
}

/**
 * Whether `pid` is still our launcher. After a reboot the recorded pid may belong to an
 * unrelated process, which must neither count as the server nor receive its stop signal.
 */
export async function isLauncherProcess(pid: number): Promise<boolean> {
  if (!existsSync("/proc/self/cmdline")) return processExists(pid);
  const commandLine = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return commandLine.includes("graphload.launcher.Launcher");
}
