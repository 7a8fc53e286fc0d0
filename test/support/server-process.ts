import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

/** A server a test file starts for itself, as a child process. */
export interface ServerProcess {
  /** The last 4,000 characters it wrote, for error messages. */
  log(): string;
  /** SIGTERM, and SIGKILL when it has not exited 20 s later. */
  stop(): Promise<void>;
}

/**
 * Starts `program` and waits until `ready()` answers true (polled every 100 ms); throws with
 * the server's own output when it exits first or is not ready within `timeoutMs`.
 */
export async function startServerProcess(name: string, program: string, args: readonly string[], ready: () => Promise<boolean>, timeoutMs: number): Promise<ServerProcess> {
  const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (chunk: Buffer): void => void (log = (log + chunk.toString()).slice(-4000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${log}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name} was not ready within ${timeoutMs / 1000} s: ${log}`);
    }
    await sleep(100);
  }
  return {
    log: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      if ((await Promise.race([exited.then(() => true), sleep(20_000, false)])) === false) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}
