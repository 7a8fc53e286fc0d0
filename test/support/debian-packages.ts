import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Installing needs root, which a CI machine gives and a developer's usually does not. */
export const mayInstall = process.getuid?.() === 0;

/**
 * Installs Debian packages for the tests that need a real program. Test files run side by
 * side, in processes of their own, so installs take turns under one file lock (flock, from
 * util-linux) instead of failing on apt's.
 */
export async function installDebianPackages(packages: readonly string[], log: (line: string) => void): Promise<void> {
  const options = { maxBuffer: 64 << 20, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  const turn = ["/tmp/graphload-apt.lock", "apt-get", "-o", "DPkg::Lock::Timeout=600"];
  log(`installing ${packages.join(", ")} from Debian's packages…`);
  await run("flock", [...turn, "update"], options);
  await run("flock", [...turn, "install", "-y", "--no-install-recommends", ...packages], options);
}

/**
 * What `find` finds (a program's path, a folder of programs); when it finds nothing and this
 * process may install, `packages` are installed and it looks again. Still nothing: throws
 * `missing`, which says what to install.
 */
export async function findOrInstall(packages: readonly string[], find: () => string | undefined, missing: string): Promise<string> {
  let found = find();
  if (!found && mayInstall) {
    await installDebianPackages(packages, (line) => process.stderr.write(`[${packages.join(", ")}] ${line}\n`));
    found = find();
  }
  if (!found) throw new Error(missing);
  return found;
}
