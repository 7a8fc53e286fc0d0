import { processExists } from "../process-exists.js";

/** Resolves to true once `pid` has exited, or false when it is still there after `timeoutMs`. */
async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processExists(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Asks a process to stop with SIGTERM (Neo4j then checkpoints and closes its store) and
 * kills it when it has not exited within `timeoutMs`. Resolves to how it ended.
 */
export async function stopProcess(pid: number, timeoutMs: number): Promise<"stopped" | "killed" | "not-running"> {
  try {
    process.kill(pid, "SIGTERM");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return "not-running";
    throw error;
  }
  if (await waitForExit(pid, timeoutMs)) return "stopped";
  try {
    process.kill(pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
  await waitForExit(pid, 10_000);
  return "killed";
}
