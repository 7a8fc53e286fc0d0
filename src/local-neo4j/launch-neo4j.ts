import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import type { Socket } from "node:net";
import { dirname } from "node:path";
import { GraphloadError } from "../errors.js";
import { findJava } from "./java-tools.js";
import { ensureLauncherBuilt } from "./launcher-build.js";
import { stopProcess } from "./process-control.js";

/** How to run one Neo4j server; sizes are JVM / Neo4j sizes such as `512m` or `2g`. */
export interface LaunchSettings {
  readonly dataDir: string;
  readonly port: number;
  /** The folder `LOAD CSV FROM 'file:///…'` reads. */
  readonly importDir?: string;
  /** Java heap (`-Xmx`). */
  readonly heap: string;
  readonly pageCache: string;
  /** Memory all transactions together may use; Neo4j's default is 70 % of the heap. */
  readonly txMemory?: string;
  /** Authentication on, user `neo4j` with this file's password; off without it. */
  readonly passwordFile?: string;
  /** Where the server's standard output and error go. */
  readonly logFile: string;
  readonly startupTimeoutMs: number;
  /** Detached: the server outlives this process (the CLI). Otherwise it ends when this process does. */
  readonly detached: boolean;
  readonly log: (line: string) => void;
  /** Called once the process exists, before it is ready, so it can be found and stopped if this one dies meanwhile. */
  readonly onSpawn?: (pid: number) => Promise<void>;
}

export interface LaunchedNeo4j {
  readonly pid: number;
  readonly uri: string;
  readonly version: string;
}

const MEMORY_SIZE = /^\d+[kmg]?$/i;

export function isMemorySize(value: string): boolean {
  return MEMORY_SIZE.test(value);
}

/** Starts the launcher and resolves once it prints its ready line; fails with the log's tail otherwise. */
export async function launchNeo4j(settings: LaunchSettings): Promise<LaunchedNeo4j> {
  for (const [name, value] of [["heap", settings.heap], ["page cache", settings.pageCache], ["tx memory", settings.txMemory]] as const) {
    if (value !== undefined && !isMemorySize(value)) {
      throw new GraphloadError("GL_LOCAL_NEO4J_OPTION", `${name} must be a size such as 512m or 2g, not "${value}"`);
    }
  }
  const classpath = await ensureLauncherBuilt(settings.log);
  const java = await findJava();
  await mkdir(settings.dataDir, { recursive: true });
  await mkdir(dirname(settings.logFile), { recursive: true });
  const args = [
    `-Xmx${settings.heap}`,
    "-XX:+UseG1GC",
    // A server out of heap is better gone, so status shows it down, than half working.
    "-XX:+ExitOnOutOfMemoryError",
    "-cp",
    classpath,
    "graphload.launcher.Launcher",
    "--data-dir",
    settings.dataDir,
    "--port",
    String(settings.port),
    "--page-cache",
    settings.pageCache,
    ...(settings.txMemory ? ["--tx-memory", settings.txMemory] : []),
    ...(settings.importDir ? ["--import-dir", settings.importDir] : []),
    ...(settings.passwordFile ? ["--password-file", settings.passwordFile] : []),
    ...(settings.detached ? [] : ["--exit-on-stdin-eof"]),
  ];
  const out = openSync(settings.logFile, "w");
  let child: ChildProcess;
  try {
    child = spawn(java, args, { detached: settings.detached, stdio: [settings.detached ? "ignore" : "pipe", out, out] });
  } finally {
    closeSync(out);
  }
  const exited = new Promise<string>((resolve) => {
    child.once("error", (error) => resolve(error.message));
    child.once("exit", (code, signal) => resolve(signal ? `it was ended by ${signal}` : `it exited with code ${code}`));
  });
  try {
    if (child.pid !== undefined) await settings.onSpawn?.(child.pid);
    const ready = await waitForReadyLine(settings, exited);
    // Neither the server nor the pipe that tells it this process is alive keeps this process running.
    child.unref();
    (child.stdin as Socket | null)?.unref();
    return { pid: child.pid!, ...ready };
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) await stopProcess(child.pid!, 10_000);
    throw error;
  }
}

/** The URI and version in the launcher's ready line, once its output has one. */
export function readyLine(output: string): { uri: string; version: string } | undefined {
  const ready = /^graphload-neo4j ready (\S+) version (\S+)$/m.exec(output);
  return ready ? { uri: ready[1], version: ready[2] } : undefined;
}

async function waitForReadyLine(settings: LaunchSettings, exited: Promise<string>): Promise<{ uri: string; version: string }> {
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  const deadline = Date.now() + settings.startupTimeoutMs;
  for (;;) {
    // Taken before reading, so that the output read holds everything a process that has exited wrote.
    const gone = exitReason;
    const output = await readFile(settings.logFile, "utf8").catch(() => "");
    const ready = readyLine(output);
    if (ready) return ready;
    const failed = /^graphload-neo4j failed: (.*)$/m.exec(output);
    if (failed || gone || Date.now() > deadline) {
      const reason = failed?.[1] ?? gone ?? `it was not ready after ${settings.startupTimeoutMs / 1000} s`;
      const tail = output.trimEnd().split("\n").slice(-20).join("\n");
      throw new GraphloadError(
        "GL_LOCAL_NEO4J_START",
        `Neo4j did not start on port ${settings.port}: ${reason}.\n--- last lines of ${settings.logFile} ---\n${tail}\n---`,
        // So that a starter that chose the port itself can try the next one.
        { logFile: settings.logFile, dataDir: settings.dataDir, port: settings.port, portInUse: /is already in use/.test(failed?.[1] ?? "") },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
