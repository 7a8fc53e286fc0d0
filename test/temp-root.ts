import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Puts every temporary file of a test run, the CLI's and the servers' among them, under one
 * folder removed when the run ends: tests that stop early or forget leave nothing behind,
 * and repeated runs on one machine do not fill its disk.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), "graphload-tests-"));
  // Open to every user, sticky, as /tmp is: PostgreSQL and MariaDB run as users of their own,
  // reach their folders through it and write their temporary files in it.
  await chmod(root, 0o1777);
  const previous = process.env.TMPDIR;
  // os.tmpdir() reads TMPDIR on each call, here and in every process started after this.
  process.env.TMPDIR = root;
  return async () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    await rm(root, { recursive: true, force: true });
  };
}
