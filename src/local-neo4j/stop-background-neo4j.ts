import { withFileLock } from "./file-lock.js";
import { isLauncherProcess } from "./local-neo4j-status.js";
import { localNeo4jPaths, readState, removeState } from "./local-neo4j-state.js";
import { stopProcess } from "./process-control.js";

export interface StoppedNeo4j {
  /** How it ended: `not-running` when there was no server to stop. */
  readonly outcome: "stopped" | "killed" | "not-running";
  readonly pid?: number;
}

/**
 * Stops the working directory's background Neo4j: SIGTERM, so it checkpoints and closes
 * its store, then SIGKILL if it has not exited within `timeoutMs`.
 */
export async function stopBackgroundNeo4j(options: { cwd: string; timeoutMs?: number }): Promise<StoppedNeo4j> {
  if (!(await readState(options.cwd))) return { outcome: "not-running" };
  // Under the start lock, so a stop cannot slip between another process's start and its state file.
  return withFileLock(localNeo4jPaths(options.cwd).lock, async () => {
    const state = await readState(options.cwd);
    if (!state) return { outcome: "not-running" };
    const outcome = (await isLauncherProcess(state.pid)) ? await stopProcess(state.pid, options.timeoutMs ?? 60_000) : "not-running";
    await removeState(options.cwd);
    return { outcome, pid: state.pid };
  });
}
