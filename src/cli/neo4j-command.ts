import { InvalidArgumentError, type Command } from "commander";
import { EXIT } from "../error-codes.js";
import { isMemorySize } from "../local-neo4j/launch-neo4j.js";
import { localNeo4jStatus, type LocalNeo4jStatus } from "../local-neo4j/local-neo4j-status.js";
import { DEFAULT_PORT } from "../local-neo4j/choose-port.js";
import { startBackgroundNeo4j } from "../local-neo4j/start-background-neo4j.js";
import { DEFAULT_HEAP, DEFAULT_PAGE_CACHE } from "../local-neo4j/start-local-neo4j.js";
import { stopBackgroundNeo4j } from "../local-neo4j/stop-background-neo4j.js";
import { positiveInteger } from "./cli-values.js";
import { reportFailure } from "./report-failure.js";

interface StartFlags {
  readonly dataDir?: string;
  readonly importDir?: string;
  readonly port?: number;
  readonly heap: string;
  readonly pageCache: string;
}

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export function registerNeo4jCommand(program: Command, setExitCode: (code: number) => void): void {
  const neo4j = program
    .command("neo4j")
    .description("a local Neo4j Community server (loopback only, authentication off) for trying things out and for tests")
    .addHelpText(
      "after",
      `
The server runs in the background and belongs to the working directory: its state, log and
default data live in .graphload/neo4j/. It needs Java 17+ and, to build its launcher once,
Maven. \`graphload run\` with no --uri and no NEO4J_URI uses it, starting it when needed.

Examples:
  graphload neo4j start
  uri=$(graphload neo4j start --port 7688 | tail -n 1)
  graphload neo4j status --json
  graphload neo4j stop`,
    );

  neo4j
    .command("start")
    .description("start the local Neo4j unless it is running; prints its Bolt URI as the last line of standard output")
    .option("--data-dir <dir>", "where the database lives (default: .graphload/neo4j/data)")
    .option("--import-dir <dir>", "the folder LOAD CSV FROM 'file:///…' reads")
    .option("--port <n>", `Bolt port on 127.0.0.1 (default: ${DEFAULT_PORT}, or the next free one when that is taken)`, port)
    .option("--heap <size>", "Java heap", memorySize, DEFAULT_HEAP)
    .option("--page-cache <size>", "Neo4j page cache", memorySize, DEFAULT_PAGE_CACHE)
    .addHelpText(
      "after",
      `
Progress goes to standard error. When the server is already running, start prints its URI
and changes nothing (other options need a stop first). Without --port it takes ${DEFAULT_PORT}, or,
when something else holds ${DEFAULT_PORT} (Neo4j Desktop, another server), the next free port, and
says so; \`graphload run\` and status find it in any case. A port given with --port that is
taken is an error. Exit status 0 once it answers on Bolt, 1 when it could not be started
(the message quotes its log).

Examples:
  graphload neo4j start
  graphload neo4j start --data-dir /var/tmp/northwind --import-dir data --heap 2g --page-cache 1g`,
    )
    .action(async (flags: StartFlags) => {
      try {
        const { status, alreadyRunning } = await startBackgroundNeo4j({ cwd: process.cwd(), ...flags, log: progress });
        if (alreadyRunning) progress(`the local Neo4j is already running (pid ${status.pid}, data ${status.dataDir})`);
        process.stdout.write(`${status.uri}\n`);
        setExitCode(EXIT.OK);
      } catch (error) {
        setExitCode(reportFailure(error));
      }
    });

  neo4j
    .command("stop")
    .description("stop the local Neo4j cleanly (SIGTERM; SIGKILL if it has not exited after --timeout)")
    .option("--timeout <seconds>", "how long to wait for a clean shutdown", positiveInteger(1), 60)
    .addHelpText("after", "\nExit status 0, also when it was not running.\n\nExample:\n  graphload neo4j stop")
    .action(async (flags: { timeout: number }) => {
      try {
        const stopped = await stopBackgroundNeo4j({ cwd: process.cwd(), timeoutMs: flags.timeout * 1000 });
        progress(
          stopped.outcome === "stopped"
            ? `stopped the local Neo4j (pid ${stopped.pid})`
            : stopped.outcome === "killed"
              ? `killed the local Neo4j (pid ${stopped.pid}): it had not shut down after ${flags.timeout} s`
              : "the local Neo4j is not running",
        );
        setExitCode(EXIT.OK);
      } catch (error) {
        setExitCode(reportFailure(error));
      }
    });

  neo4j
    .command("status")
    .description("tell whether the local Neo4j is running: its process is alive and answers on Bolt")
    .option("--json", 'print one JSON object: {"running", "uri", "dataDir", "version", "port", "importDir", "pid", "logFile"}')
    .addHelpText(
      "after",
      `
Exit status 0 when it is running, 1 when it is not (with --json too), so scripts can test it.
When not running, the JSON has "running": false and the data dir and log of the last start;
"pid" appears while the process lives, also when it does not answer (starting, or hung).

Examples:
  graphload neo4j status
  graphload neo4j status --json
  graphload neo4j status >/dev/null || graphload neo4j start`,
    )
    .action(async (flags: { json?: boolean }) => {
      try {
        const status = await localNeo4jStatus({ cwd: process.cwd() });
        process.stdout.write(flags.json ? `${JSON.stringify(status)}\n` : describe(status));
        setExitCode(status.running ? EXIT.OK : EXIT.FAILED);
      } catch (error) {
        setExitCode(reportFailure(error));
      }
    });
}

function describe(status: LocalNeo4jStatus): string {
  const headline = status.running
    ? `running ${status.uri}`
    : status.pid !== undefined
      ? `not answering at ${status.uri} (starting, or hung)`
      : "not running";
  const rows: [string, string | number | undefined][] = [
    ["version", status.version],
    ["pid", status.pid],
    ["data", status.dataDir],
    ["import", status.importDir],
    ["log", status.logFile],
  ];
  const details = rows.filter(([, value]) => value !== undefined).map(([name, value]) => `${name.padEnd(8)}${value}\n`);
  return `${headline}\n${details.join("")}`;
}

function port(value: string): number {
  const number = positiveInteger(1)(value);
  if (number > 65535) throw new InvalidArgumentError(`expected a port from 1 to 65535, got "${value}"`);
  return number;
}

function memorySize(value: string): string {
  if (!isMemorySize(value)) throw new InvalidArgumentError(`expected a size such as 512m or 2g, got "${value}"`);
  return value;
}
