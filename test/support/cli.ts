import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { neo4jConnection } from "./neo4j.js";

export const BIN = fileURLToPath(new URL("../../bin/graphload.js", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface CliOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
}

/** A run of the CLI that goes on while the test watches it: to feed its stdin, kill it, or wait for its exit code. */
export interface LiveCli {
  readonly child: ChildProcessWithoutNullStreams;
  /** Its exit code; null when a signal ended it. */
  readonly exited: Promise<number | null>;
  /** What it has written to stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
}

/** Starts the built CLI against the tests' Neo4j (its URI and credentials in the environment) and returns at once. */
export function startGraphload(args: readonly string[], options: CliOptions = {}): LiveCli {
  const connection = neo4jConnection();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEO4J_URI: connection.uri,
    NEO4J_USERNAME: connection.user,
    NEO4J_PASSWORD: connection.password,
    ...options.env,
  };
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the built CLI to its end; `input` is its stdin. */
export async function graphload(args: readonly string[], options: CliOptions & { input?: string } = {}): Promise<CliResult> {
  const run = startGraphload(args, options);
  run.child.stdin.end(options.input ?? "");
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}
