import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { neo4jConnection } from "./neo4j.js";

export const BIN = fileURLToPath(new URL("../../bin/graphload.js", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI against the tests' Neo4j (its URI and credentials in the environment). */
export function graphload(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): Promise<CliResult> {
  const connection = neo4jConnection();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEO4J_URI: connection.uri,
    NEO4J_USERNAME: connection.user,
    NEO4J_PASSWORD: connection.password,
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
