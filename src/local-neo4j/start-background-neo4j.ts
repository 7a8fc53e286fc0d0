import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { GraphloadError } from "../errors.js";
import { chooseBoltPort, DEFAULT_PORT } from "./choose-port.js";
import { withFileLock } from "./file-lock.js";
import { launchNeo4j } from "./launch-neo4j.js";
import { localNeo4jStatus, type LocalNeo4jStatus } from "./local-neo4j-status.js";
import { localNeo4jPaths, removeState, writeState, type LocalNeo4jState } from "./local-neo4j-state.js";
import { DEFAULT_HEAP, DEFAULT_PAGE_CACHE, DEFAULT_STARTUP_TIMEOUT_MS } from "./start-local-neo4j.js";

/** Starts on ports chosen here: another server may take one between the check and the launch. */
const LAUNCH_ATTEMPTS = 3;

export interface BackgroundNeo4jOptions {
  /** The working directory whose `.graphload/neo4j/` holds the server's state and log. */
  readonly cwd: string;
  /** Default `.graphload/neo4j/data`; relative paths are taken from `cwd`. */
  readonly dataDir?: string;
  readonly importDir?: string;
  /**
   * A port given here is used, or the start fails. Default 7687, or when that is taken the
   * next free port after it, recorded in the state file where status and `graphload run` read it.
   */
  readonly port?: number;
  readonly heap?: string;
  readonly pageCache?: string;
  readonly txMemory?: string;
  readonly startupTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface BackgroundNeo4j {
  readonly status: LocalNeo4jStatus & { readonly uri: string };
  /** It was running already; the options of this call were not applied. */
  readonly alreadyRunning: boolean;
}

/**
 * Starts the working directory's Neo4j in the background, to outlive this process, unless it
 * is running already. Its pid, URI and folders go to `.graphload/neo4j/state.json`.
 */
export async function startBackgroundNeo4j(options: BackgroundNeo4jOptions): Promise<BackgroundNeo4j> {
  const paths = localNeo4jPaths(options.cwd);
  const log = options.log ?? (() => undefined);
  await mkdir(paths.dir, { recursive: true });
  return withFileLock(paths.lock, async () => {
    const current = await localNeo4jStatus(options);
    if (current.running) {
      warnIgnoredOptions(options, current, log);
      return { status: { ...current, uri: current.uri! }, alreadyRunning: true };
    }
    if (current.pid !== undefined) {
      throw new GraphloadError(
        "GL_LOCAL_NEO4J_UNRESPONSIVE",
        `the local Neo4j (pid ${current.pid}) is running but does not answer at ${current.uri}: still starting, or hung (log: ${current.logFile}). ` +
          "Wait and try again, or end it with `graphload neo4j stop`",
        { pid: current.pid, logFile: current.logFile },
      );
    }
    await removeState(options.cwd);
    const dataDir = resolve(options.cwd, options.dataDir ?? paths.dataDir);
    const importDir = options.importDir === undefined ? undefined : resolve(options.cwd, options.importDir);
    const started = Date.now();
    const state = (port: number, pid: number, version?: string): LocalNeo4jState => ({
      pid,
      uri: `bolt://127.0.0.1:${port}`,
      port,
      dataDir,
      importDir,
      version,
      logFile: paths.logFile,
      startedAt: new Date(started).toISOString(),
    });
    let port = options.port ?? (await chooseBoltPort());
    if (port !== options.port && port !== DEFAULT_PORT) {
      log(`port 127.0.0.1:${DEFAULT_PORT} is taken (by Neo4j Desktop or another server?), so the local Neo4j takes ${port} (--port sets one)`);
    }
    for (let attempt = 1; ; attempt++) {
      log(`starting Neo4j on 127.0.0.1:${port} (data ${dataDir}, log ${paths.logFile})…`);
      try {
        const launched = await launchNeo4j({
          dataDir,
          port,
          importDir,
          heap: options.heap ?? DEFAULT_HEAP,
          pageCache: options.pageCache ?? DEFAULT_PAGE_CACHE,
          txMemory: options.txMemory,
          logFile: paths.logFile,
          startupTimeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
          detached: true,
          log,
          // Recorded before it is ready, so that `neo4j stop` finds a server whose starter was interrupted.
          onSpawn: (pid) => writeState(options.cwd, state(port, pid)),
        });
        const ready = state(port, launched.pid, launched.version);
        await writeState(options.cwd, ready);
        log(`Neo4j ${launched.version} ready at ${ready.uri} after ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${launched.pid})`);
        return { status: { running: true, ...ready }, alreadyRunning: false };
      } catch (error) {
        await removeState(options.cwd);
        // A port asked for stays an error when taken: whoever asked may have a reason for it.
        if (options.port !== undefined || attempt === LAUNCH_ATTEMPTS || !portTaken(error)) throw error;
        const taken = port;
        port = await chooseBoltPort(taken + 1);
        log(`port 127.0.0.1:${taken} was taken meanwhile, so the local Neo4j takes ${port}`);
      }
    }
  });
}

function portTaken(error: unknown): boolean {
  return error instanceof GraphloadError && error.context.portInUse === true;
}

function warnIgnoredOptions(options: BackgroundNeo4jOptions, current: LocalNeo4jStatus, log: (line: string) => void): void {
  const differences: string[] = [];
  if (options.port !== undefined && options.port !== current.port) differences.push(`port ${current.port}`);
  if (options.dataDir !== undefined && resolve(options.cwd, options.dataDir) !== current.dataDir) differences.push(`data dir ${current.dataDir}`);
  if (options.importDir !== undefined && resolve(options.cwd, options.importDir) !== current.importDir) {
    differences.push(`import dir ${current.importDir ?? "(none)"}`);
  }
  if (differences.length > 0) {
    log(`the local Neo4j is already running with ${differences.join(", ")}; stop it first to start it with other options`);
  }
}
