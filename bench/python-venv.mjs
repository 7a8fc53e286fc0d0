// A Python virtual environment for a bench under bench/out, made once and again only when
// what it should hold changes.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The python of the venv at `dir` after `pip install ...pipArgs`; `stamp` says what those
 * arguments install (a pinned requirement, a requirements file's text) and is kept in the
 * venv, which is reused while it is the same.
 */
export function venvPython(dir, pipArgs, stamp, log) {
  const python = join(dir, "bin/python");
  const stampFile = join(dir, "graphload-requirements");
  if (!existsSync(python) || !existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp) {
    log(`making ${dir} (python3 -m venv; pip install ${pipArgs.join(" ")})`);
    if (!existsSync(python)) execFileSync("python3", ["-m", "venv", dir], { stdio: ["ignore", "ignore", "inherit"] });
    execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", ...pipArgs], { stdio: ["ignore", "ignore", "inherit"] });
    writeFileSync(stampFile, stamp);
  }
  return python;
}
