import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "./free-port.js";
import { launchNeo4j } from "./launch-neo4j.js";
import { stopProcess } from "./process-control.js";

export interface LocalNeo4jOptions {
  /** Where the database lives; default a new temporary folder, deleted again by `stop()`. */
  readonly dataDir?: string;
  /** Bolt port on 127.0.0.1; default a free one. */
  readonly port?: number;
  /** The folder `LOAD CSV FROM 'file:///…'` reads. */
  readonly importDir?: string;
  /** Java heap, default `1g`. */
  readonly heap?: string;
  /** Neo4j page cache, default `512m`. */
  readonly pageCache?: string;
  /** Memory all transactions together may use; default 70 % of the heap. */
  readonly txMemory?: string;
  /**
   * Authentication on, user `neo4j` with the password in this file (one trailing newline
   * trimmed); default off.
   */
  readonly passwordFile?: string;
  /** Where the server's output goes; default `graphload-neo4j.log` in the data folder. */
  readonly logFile?: string;
  /** Default 120 s: a cold JVM on a small CI machine needs far more than the usual 5–10 s. */
  readonly startupTimeoutMs?: number;
  /** Progress lines (building the launcher, starting); default silent. */
  readonly log?: (line: string) => void;
}

/** A running server: connect to `uri` with no credentials, or as `neo4j` with the password of `passwordFile`. */
export interface StartedLocalNeo4j {
  readonly uri: string;
  readonly host: string;
  readonly port: number;
  readonly version: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly pid: number;
  /** Shuts the server down cleanly (SIGTERM, SIGKILL after `timeoutMs`) and waits until it has. */
  stop(timeoutMs?: number): Promise<void>;
}

export const DEFAULT_HEAP = "1g";
export const DEFAULT_PAGE_CACHE = "512m";
export const DEFAULT_STARTUP_TIMEOUT_MS = 120_000;

/**
 * Starts Neo4j Community on loopback for this process, like a test container: the server
 * ends when `stop()` is called or, at the latest, when this process exits.
 */
export async function startLocalNeo4j(options: LocalNeo4jOptions = {}): Promise<StartedLocalNeo4j> {
  const temporary = options.dataDir === undefined ? await mkdtemp(join(tmpdir(), "graphload-neo4j-")) : undefined;
  const dataDir = resolve(options.dataDir ?? temporary!);
  const logFile = resolve(options.logFile ?? join(dataDir, "graphload-neo4j.log"));
  const port = options.port ?? (await freePort());
  try {
    const launched = await launchNeo4j({
      dataDir,
      port,
      importDir: options.importDir && resolve(options.importDir),
      heap: options.heap ?? DEFAULT_HEAP,
      pageCache: options.pageCache ?? DEFAULT_PAGE_CACHE,
      txMemory: options.txMemory,
      ...(options.passwordFile ? { passwordFile: resolve(options.passwordFile) } : {}),
      logFile,
      startupTimeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
      detached: false,
      log: options.log ?? (() => undefined),
    });
    return {
      uri: launched.uri,
      host: new URL(launched.uri).hostname,
      port,
      version: launched.version,
      dataDir,
      logFile,
      pid: launched.pid,
      async stop(timeoutMs = 60_000) {
        await stopProcess(launched.pid, timeoutMs);
        if (temporary) await rm(temporary, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (temporary) await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}
