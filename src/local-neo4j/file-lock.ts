import { open, readFile, unlink } from "node:fs/promises";
import { GraphloadError } from "../errors.js";
import { processExists } from "../process-exists.js";

/**
 * Runs `action` while holding a lock file, so that two graphload processes in one folder
 * neither build the launcher nor start a server at the same time. A lock left by a process
 * that has died is taken over.
 */
export async function withFileLock<T>(path: string, action: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
    // An empty file is a lock being written this instant; only a dead holder's lock is stale.
    if (Number.isInteger(holder) && !processExists(holder)) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new GraphloadError("GL_LOCAL_NEO4J_LOCKED", `${path} is held by process ${holder} for longer than ${timeoutMs / 1000} s`, { path, pid: holder });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  try {
    return await action();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
